using Daxdi.Application.Abstractions;
using Daxdi.Domain.Consent;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>Why the banner must ask again.</summary>
public enum RenewalReason
{
    /// <summary>The decision's lifetime ran out.</summary>
    Expired,

    /// <summary>The visitor withdrew consent.</summary>
    Withdrawn,

    /// <summary>A later policy version changed categories, services or wording.</summary>
    PolicyChanged,
}

/// <summary>A visitor's consent now, from their latest decision.</summary>
public sealed record EffectiveConsent
{
    /// <example>sub_4fJd0b6QmT2xk9Zp1cVw3A</example>
    public required string SubjectId { get; init; }

    /// <summary>The latest decision's record.</summary>
    public required Guid ConsentId { get; init; }

    /// <example>1</example>
    public required int PolicyVersion { get; init; }

    /// <summary>The site's current published policy version.</summary>
    /// <example>1</example>
    public required int CurrentPolicyVersion { get; init; }

    /// <example>custom</example>
    public required ConsentDecisionKind Decision { get; init; }

    /// <summary>What applies now: the decision's categories, or only the required ones when renewal is required.</summary>
    public required IReadOnlyDictionary<string, bool> Effective { get; init; }

    public required bool ValidForProcessing { get; init; }

    /// <summary>The seven Consent Mode v2 signals for <see cref="Effective"/>.</summary>
    public required IReadOnlyDictionary<string, string> ConsentMode { get; init; }

    /// <summary>True when the banner must ask again; <see cref="RenewalReason"/> says why.</summary>
    public required bool RenewalRequired { get; init; }

    public required RenewalReason? RenewalReason { get; init; }

    public required DateTime RecordedAt { get; init; }

    public required DateTime ExpiresAt { get; init; }
}

/// <summary>A visitor's effective consent in a site (public: the banner checks it on each page view).</summary>
public sealed record GetConsentSubject(string Site, string SubjectId) : IQuery<EffectiveConsent>;

public sealed class GetConsentSubjectHandler(IDaxdiDbContext db, ISiteDirectory sites, TimeProvider clock)
    : IQueryHandler<GetConsentSubject, EffectiveConsent>
{
    public async ValueTask<EffectiveConsent> Handle(GetConsentSubject query, CancellationToken cancellationToken)
    {
        var site = await sites.FindAsync(query.Site, cancellationToken) ?? throw Features.Sites.SiteQueries.NotFound(query.Site);
        var record = await db.ConsentRecords.AsNoTracking()
            .Where(r => r.SiteId == site.Id && r.SubjectId == query.SubjectId)
            .OrderByDescending(r => r.Sequence).FirstOrDefaultAsync(cancellationToken)
            ?? throw ConsentRecordDto.SubjectNotFound(query.SubjectId, site.Key);
        var policies = await db.ConsentPolicies.AsNoTracking()
            .Where(p => p.SiteId == site.Id && p.Status == ConsentPolicyStatus.Published && p.Number >= record.PolicyVersion)
            .OrderByDescending(p => p.Number).ToListAsync(cancellationToken);
        var current = policies[0];
        var reason = record.Decision == ConsentDecisionKind.Withdraw ? RenewalReason.Withdrawn
            : policies.Exists(p => p.Number > record.PolicyVersion && p.RenewsConsent) ? RenewalReason.PolicyChanged
            : record.ExpiresAt <= Common.Clock.UtcNow(clock) ? RenewalReason.Expired
            : (RenewalReason?)null;
        var effective = reason is null
            ? record.Effective
            : current.Content.Categories.ToDictionary(c => c.Key, c => c.Required);
        return new EffectiveConsent
        {
            SubjectId = query.SubjectId, ConsentId = record.Id, PolicyVersion = record.PolicyVersion, CurrentPolicyVersion = current.Number,
            Decision = record.Decision, Effective = effective, ValidForProcessing = record.ValidForProcessing,
            ConsentMode = reason is null ? record.ConsentMode : ConsentDecisions.ConsentMode(current.Content, effective, implied: false),
            RenewalRequired = reason is not null, RenewalReason = reason, RecordedAt = record.RecordedAt, ExpiresAt = record.ExpiresAt,
        };
    }
}
