using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Daxdi.Application.Common;
using Daxdi.Domain.Consent;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>
/// A version of a site's cookie banner as the public reads it: what the banner shows and means, and the hash a
/// decision recorded against it proves.
/// </summary>
public record PublicConsentPolicy
{
    /// <summary>The policy version: what a banner sends back as <c>policyVersion</c> with a decision.</summary>
    /// <example>1</example>
    public required int Number { get; init; }

    /// <summary>The banner's texts by language (BCP 47 tag).</summary>
    /// <example>{"en": {"title": "Cookies on Daxdi News", "message": "We use technical cookies to run the site and, if you allow it, profiling cookies of ours and of partners.", "policyUrl": "https://daxdi.example/cookie-policy", "labels": {"save": "Save my choices"}}}</example>
    public required IReadOnlyDictionary<string, BannerText> Texts { get; init; }

    /// <summary>The banner's buttons and links, each with what using it means.</summary>
    /// <example>[{"key": "preferences", "label": "Preferences", "meaning": "openPreferences"}, {"key": "save", "label": "Save my choices", "meaning": "savePreferences"}, {"key": "continue", "label": "Continue", "meaning": "implied"}]</example>
    public required IReadOnlyList<BannerControl> Controls { get; init; }

    /// <summary>The purposes a visitor can allow or refuse, with the services each covers.</summary>
    /// <example>[{"key": "technical", "name": "Technical cookies", "description": "Keep your session secure and remember your cookie choice.", "required": true, "justification": "Needed to serve the pages you ask for and to remember your choice.", "default": false, "services": [{"name": "dx_session", "provider": "daxdi.example", "party": "first", "lifetime": "session", "purpose": "Holds the security token of the visit."}]}, {"key": "profiling", "name": "Profiling cookies", "description": "Learn the topics you read to show matching ads.", "required": false, "justification": null, "default": false, "services": [{"name": "dx_interests", "provider": "daxdi.example", "party": "first", "lifetime": "6 months", "purpose": null}, {"name": "Ad personalisation", "provider": "Northwind Ads", "party": "third", "lifetime": "13 months", "purpose": "Chooses ads from your reading interests."}]}]</example>
    public required IReadOnlyList<ConsentCategory> Categories { get; init; }

    /// <summary>Google Consent Mode v2: the signals each category grants while it is granted (all others are denied).</summary>
    /// <example>{"technical": ["security_storage", "functionality_storage"], "profiling": ["ad_storage", "ad_user_data", "ad_personalization"]}</example>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ConsentMode { get; init; }

    /// <summary>Categories a Global Privacy Control signal refuses.</summary>
    /// <example>["profiling"]</example>
    public required IReadOnlyList<string> GpcRefuses { get; init; }

    /// <summary>Days a decision that grants an optional category lasts.</summary>
    /// <example>180</example>
    public required int ConsentLifetimeDays { get; init; }

    /// <summary>Days a refusal or an implied "Continue" is respected before the banner may ask again.</summary>
    /// <example>182</example>
    public required int RefusalLifetimeDays { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 of the content's canonical JSON (texts, controls, categories, Consent Mode, GPC, lifetimes;
    /// object keys sorted, no whitespace). Fixed at publication; every decision recorded against this version carries it.
    /// </summary>
    /// <example>3f0a8c1d5e7b9a2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c</example>
    public required string ContentHash { get; init; }

    /// <summary>When it was published; <c>null</c> for a draft.</summary>
    /// <example>2026-11-28T09:00:00Z</example>
    public required DateTime? PublishedAt { get; init; }

    /// <summary>
    /// Whether publishing it asked earlier decisions again (<c>renewalRequired</c>): it changed categories, services or
    /// wording. A version that only changes a lifetime or the Consent Mode mapping keeps them. <c>false</c> for a draft.
    /// </summary>
    /// <example>true</example>
    public required bool RenewsConsent { get; init; }

    internal static PublicConsentPolicy From(ConsentPolicy p) => new()
    {
        Number = p.Number, Texts = p.Content.Texts, Controls = p.Content.Controls, Categories = p.Content.Categories,
        ConsentMode = p.Content.ConsentMode, GpcRefuses = p.Content.GpcRefuses,
        ConsentLifetimeDays = p.Content.ConsentLifetimeDays, RefusalLifetimeDays = p.Content.RefusalLifetimeDays,
        ContentHash = p.ContentHash, PublishedAt = p.PublishedAt, RenewsConsent = p.RenewsConsent,
    };
}

/// <summary>A version of a site's cookie banner as compliance officers read it, draft or published.</summary>
public sealed record ConsentPolicyDto : PublicConsentPolicy, IVersioned
{
    [SetsRequiredMembers]
    private ConsentPolicyDto(PublicConsentPolicy content, ConsentPolicy p)
        : base(content)
    {
        Id = p.Id;
        Status = p.Status;
        Version = p.Version;
        CreatedAt = p.CreatedAt;
        UpdatedAt = p.UpdatedAt;
        CreatedBy = p.CreatedBy;
        UpdatedBy = p.UpdatedBy;
    }

    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    [JsonPropertyOrder(-1)]
    public required Guid Id { get; init; }

    /// <summary><c>draft</c> (can be replaced) or <c>published</c> (never changes again).</summary>
    /// <example>draft</example>
    [JsonPropertyOrder(-1)]
    public required ConsentPolicyStatus Status { get; init; }

    /// <summary>Concurrency version of this record (not the policy version, which is <c>number</c>); also the <c>ETag</c>.</summary>
    /// <example>1</example>
    public required int Version { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    /// <summary>Who created it (<c>key:{id}</c> for an API key).</summary>
    /// <example>key:01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required string CreatedBy { get; init; }

    /// <summary>Who changed it last.</summary>
    /// <example>key:01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required string UpdatedBy { get; init; }

    internal static new ConsentPolicyDto From(ConsentPolicy p) => new(PublicConsentPolicy.From(p), p);
}

/// <summary>A version in the list of a site's versions: what it is, without its content.</summary>
public sealed record ConsentPolicySummary
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid Id { get; init; }

    /// <summary>The policy version.</summary>
    /// <example>2</example>
    public required int Number { get; init; }

    /// <example>published</example>
    public required ConsentPolicyStatus Status { get; init; }

    /// <summary>SHA-256 of the content's canonical JSON.</summary>
    /// <example>3f0a8c1d5e7b9a2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c</example>
    public required string ContentHash { get; init; }

    /// <example>2026-11-28T09:00:00Z</example>
    public required DateTime? PublishedAt { get; init; }

    /// <summary>Whether publishing it asked earlier decisions again.</summary>
    /// <example>false</example>
    public required bool RenewsConsent { get; init; }

    /// <summary>Concurrency version (the <c>ETag</c> of the version's own resource).</summary>
    /// <example>1</example>
    public required int Version { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }
}
