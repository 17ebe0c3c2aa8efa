using System.Security.Cryptography;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Common;
using Daxdi.Domain.Consent;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Daxdi.Application.Features.Consent;

/// <summary>Body of <c>POST /api/v1/sites/{site}/consents</c>: what the visitor chose on the banner.</summary>
public sealed record RecordConsentBody
{
    /// <summary>The policy version the banner showed.</summary>
    /// <example>1</example>
    public required int PolicyVersion { get; init; }

    /// <example>custom</example>
    public required ConsentDecisionKind Decision { get; init; }

    /// <summary>The key of the control used (optional for <c>withdraw</c>).</summary>
    /// <example>save</example>
    public string? Control { get; init; }

    /// <summary>
    /// Per category, as the visitor left the toggles: what a <c>custom</c> decision grants (required categories may be
    /// left out). Other decisions grant by their kind; an optional category sent as granted with them is refused.
    /// </summary>
    public IReadOnlyDictionary<string, bool> Categories { get; init; } = new Dictionary<string, bool>();

    /// <summary>The page the banner was on.</summary>
    /// <example>https://daxdi.example/news/harbour-bridge-reopens</example>
    public string? Url { get; init; }

    /// <summary>The banner's language (default: the site's).</summary>
    /// <example>en</example>
    public string? Language { get; init; }

    /// <summary>The visitor's pseudonymous id from an earlier receipt; the server issues one when absent.</summary>
    /// <example>sub_4fJd0b6QmT2xk9Zp1cVw3A</example>
    public string? SubjectId { get; init; }
}

/// <summary>What the server adds from the request: never the raw address or user agent.</summary>
/// <param name="ClientAddress">Truncated or keyed-hashed, or null when the site keeps none.</param>
/// <param name="BrowserFamily">e.g. <c>Firefox</c>; never the user agent.</param>
/// <param name="GlobalPrivacyControl">The request carried <c>Sec-GPC: 1</c>.</param>
public sealed record ConsentRequestContext(string? ClientAddress, string? BrowserFamily, bool GlobalPrivacyControl);

/// <summary>
/// Record a visitor's decision and answer its receipt. Checked here, then committed with the decisions that arrive
/// with it (a <see cref="GroupCommit{TItem,TResult}"/>): the receipt is answered once its record is committed.
/// </summary>
public sealed record RecordConsent(string Site, RecordConsentBody Body, ConsentRequestContext Request) : IRequest<ConsentReceipt>;

public sealed class RecordConsentValidator : AbstractValidator<RecordConsent>
{
    public RecordConsentValidator()
    {
        RuleFor(x => x.Body).NotNull().ChildRules(body =>
        {
            body.RuleFor(b => b.PolicyVersion).GreaterThan(0);
            body.RuleFor(b => b.Decision).IsInEnum();
            body.RuleFor(b => b.Control).MaximumLength(ConsentRules.KeyMaxLength);
            body.RuleFor(b => b.Categories).NotNull().Must(c => c.Count <= ConsentRules.MaxCategories)
                .WithMessage($"At most {ConsentRules.MaxCategories} categories.");
            body.RuleForEach(b => b.Categories).Must(c => c.Key.Length is > 0 and <= ConsentRules.KeyMaxLength)
                .WithMessage("Category keys are 1 to 40 characters.");
            body.RuleFor(b => b.Url).MaximumLength(ConsentRules.UrlMaxLength)
                .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                .WithMessage("url must be an absolute http or https URL.");
            body.RuleFor(b => b.Language).MaximumLength(35).Matches("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$").When(b => b.Language is not null);
            body.RuleFor(b => b.SubjectId).Matches($"^[A-Za-z0-9_-]{{8,{ConsentRules.SubjectIdMaxLength}}}$").When(b => b.SubjectId is not null)
                .WithMessage($"subjectId is 8 to {ConsentRules.SubjectIdMaxLength} letters, digits, '-' or '_'.");
        });
    }
}

public sealed class RecordConsentHandler(IDaxdiDbContext db, ISiteDirectory sites, IMemoryCache cache, GroupCommit<ConsentRecord, Unit> appender,
    TimeProvider clock) : IRequestHandler<RecordConsent, ConsentReceipt>
{
    public async ValueTask<ConsentReceipt> Handle(RecordConsent command, CancellationToken cancellationToken)
    {
        var site = await sites.FindAsync(command.Site, cancellationToken) ?? throw Features.Sites.SiteQueries.NotFound(command.Site);
        var body = command.Body;
        var policy = await PublishedPolicyAsync(site.Id, body.PolicyVersion, cancellationToken);
        if (policy is not { IsPublished: true })
        {
            throw DomainException.InvalidState(policy is null ? "consent.unknown_policy_version" : "consent.policy_not_published",
                $"Site '{site.Key}' has no published consent policy version {body.PolicyVersion}.");
        }

        var now = clock.UtcNow();
        var choice = new ConsentChoice(body.Decision, body.Control, body.Categories, command.Request.GlobalPrivacyControl);
        var outcome = ConsentDecisions.Apply(policy, choice, now);
        var record = ConsentRecord.Create(site.Id, policy, choice, outcome, body.SubjectId ?? NewSubjectId(),
            new ConsentContext(body.Language ?? site.DefaultLanguage, command.Request.ClientAddress, command.Request.BrowserFamily, body.Url), now);
        await appender.SubmitAsync(record, cancellationToken);
        return ConsentReceipt.Of(record, outcome.GpcApplied, outcome.Note);
    }

    /// <summary>
    /// The policy version, kept in memory once published: a published version never changes, so every decision after
    /// the first skips a store read (and a JSON parse of the content) on the public write path.
    /// </summary>
    private async Task<ConsentPolicy?> PublishedPolicyAsync(Guid siteId, int number, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue((typeof(ConsentPolicy), siteId, number), out ConsentPolicy? cached))
        {
            return cached;
        }

        var policy = await db.ConsentPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == siteId && p.Number == number, cancellationToken);
        if (policy is { IsPublished: true })
        {
            cache.Set((typeof(ConsentPolicy), siteId, number), policy, TimeSpan.FromHours(1));
        }

        return policy;
    }

    /// <summary>128 random bits, URL-safe: pseudonymous, and not derived from anything about the visitor.</summary>
    private static string NewSubjectId() => "sub_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
