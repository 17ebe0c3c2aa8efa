using Daxdi.Domain.Common;

namespace Daxdi.Domain.Consent;

/// <summary>
/// One version of a site's cookie banner and what it means. A draft can be replaced; publishing checks the legal rules
/// (<see cref="ConsentRules"/>), fixes the content hash, and from then on the version never changes: every decision
/// recorded against it is proof of exactly this content.
/// </summary>
public sealed class ConsentPolicy : Entity
{
    private ConsentPolicy()
    {
    }

    public ConsentPolicy(Guid siteId, int number, ConsentPolicyContent content, string actor, DateTime now)
        : base(now)
    {
        SiteId = siteId;
        Number = number;
        Content = content;
        ContentHash = CanonicalJson.Hash(content);
        CreatedBy = actor;
        UpdatedBy = actor;
    }

    public Guid SiteId { get; private set; }

    /// <summary>The version number the banner shows and sends back: 1, 2, 3 … per site.</summary>
    public int Number { get; private set; }

    public ConsentPolicyStatus Status { get; private set; }

    public ConsentPolicyContent Content { get; private set; } = null!;

    /// <summary>SHA-256 of the content's canonical JSON (<see cref="CanonicalJson"/>); fixed when published.</summary>
    public string ContentHash { get; private set; } = null!;

    public DateTime? PublishedAt { get; private set; }

    /// <summary>
    /// Set when published: decisions recorded under earlier versions must be asked again, because this one changed
    /// categories, services or wording. A version that only fixes a lifetime or a mapping keeps them.
    /// </summary>
    public bool RenewsConsent { get; private set; }

    public string CreatedBy { get; private set; } = null!;

    public string UpdatedBy { get; private set; } = null!;

    public bool IsPublished => Status == ConsentPolicyStatus.Published;

    /// <summary>Replaces a draft's content. A published version is immutable.</summary>
    public void Replace(ConsentPolicyContent content, string actor, DateTime now)
    {
        EnsureDraft("replace");
        var hash = CanonicalJson.Hash(content);
        if (hash == ContentHash)
        {
            return;
        }

        Content = content;
        ContentHash = hash;
        UpdatedBy = actor;
        Touch(now);
    }

    /// <summary>
    /// Publishes the draft after checking the rules a data-protection authority applies; <paramref name="previous"/> is
    /// the site's latest published version, if any, and decides <see cref="RenewsConsent"/>.
    /// </summary>
    public void Publish(ConsentPolicy? previous, string actor, DateTime now)
    {
        EnsureDraft("publish");
        ConsentRules.EnsurePublishable(Content);
        Status = ConsentPolicyStatus.Published;
        PublishedAt = now;
        RenewsConsent = previous is null || Content.RenewsConsentGivenUnder(previous.Content);
        UpdatedBy = actor;
        Touch(now);
    }

    private void EnsureDraft(string action)
    {
        if (IsPublished)
        {
            throw DomainException.InvalidState("consent_policy.published",
                $"Version {Number} is published and can no longer change; cannot {action} it. Create a new version.");
        }
    }
}

public enum ConsentPolicyStatus
{
    Draft,
    Published,
}
