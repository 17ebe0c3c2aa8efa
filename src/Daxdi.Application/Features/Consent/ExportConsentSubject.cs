using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Consent;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>Everything the site holds about one subject (GDPR Art. 15): their decisions and the policy versions they saw.</summary>
public sealed record ConsentSubjectExport
{
    public required string SubjectId { get; init; }

    public required string Site { get; init; }

    public required DateTime ExportedAt { get; init; }

    /// <summary>Every decision, oldest first.</summary>
    public required IReadOnlyList<ConsentRecordDto> Records { get; init; }

    /// <summary>The exact policy versions the subject decided under, with their hashes.</summary>
    public required IReadOnlyList<ExportedPolicy> Policies { get; init; }
}

/// <summary>A policy version as the subject saw it.</summary>
public sealed record ExportedPolicy(int Version, string ContentHash, DateTime? PublishedAt, ConsentPolicyContent Content);

/// <summary>Export a subject's consent data (a data-subject access request).</summary>
public sealed record ExportConsentSubject(string Site, string SubjectId) : IQuery<ConsentSubjectExport>;

public sealed class ExportConsentSubjectHandler(IDaxdiDbContext db, TimeProvider clock) : IQueryHandler<ExportConsentSubject, ConsentSubjectExport>
{
    public async ValueTask<ConsentSubjectExport> Handle(ExportConsentSubject query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var records = await db.ConsentRecords.AsNoTracking().Where(r => r.SiteId == site.Id && r.SubjectId == query.SubjectId)
            .OrderBy(r => r.Sequence).ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            throw ConsentRecordDto.SubjectNotFound(query.SubjectId, site.Key);
        }

        var versions = records.Select(r => r.PolicyId).Distinct().ToList();
        var policies = await db.ConsentPolicies.AsNoTracking().Where(p => versions.Contains(p.Id)).OrderBy(p => p.Number)
            .ToListAsync(cancellationToken);
        return new ConsentSubjectExport
        {
            SubjectId = query.SubjectId, Site = site.Key, ExportedAt = Common.Clock.UtcNow(clock),
            Records = [.. records.Select(ConsentRecordDto.Of)],
            Policies = [.. policies.Select(p => new ExportedPolicy(p.Number, p.ContentHash, p.PublishedAt, p.Content))],
        };
    }
}
