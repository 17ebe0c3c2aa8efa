namespace Daxdi.Domain.Consent;

/// <summary>
/// Everything a cookie banner shows and means, as one immutable value: what is hashed when a version is published and
/// what every decision recorded against that version is proof of.
/// </summary>
public sealed record ConsentPolicyContent
{
    /// <summary>Banner texts by language (BCP 47 tag, e.g. <c>en</c>, <c>it</c>).</summary>
    public required IReadOnlyDictionary<string, BannerText> Texts { get; init; }

    /// <summary>The banner's buttons and links, each with what choosing it means.</summary>
    public required IReadOnlyList<BannerControl> Controls { get; init; }

    /// <summary>The purposes a visitor can allow or refuse, strictly necessary ones first by convention.</summary>
    public required IReadOnlyList<ConsentCategory> Categories { get; init; }

    /// <summary>Google Consent Mode v2: the signals each category grants when it is granted (others are denied).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ConsentMode { get; init; }

    /// <summary>Categories a Global Privacy Control signal (<c>Sec-GPC: 1</c>) refuses, whatever the visitor clicked.</summary>
    public required IReadOnlyList<string> GpcRefuses { get; init; }

    /// <summary>How long a decision that grants an optional category lasts before the banner asks again.</summary>
    public required int ConsentLifetimeDays { get; init; }

    /// <summary>How long a refusal (or an implied "Continue") is respected before the banner may ask again.</summary>
    public required int RefusalLifetimeDays { get; init; }

    public ConsentCategory? Category(string key) => Categories.FirstOrDefault(c => c.Key == key);

    public BannerControl? Control(string key) => Controls.FirstOrDefault(c => c.Key == key);

    /// <summary>
    /// Whether a visitor who decided under <paramref name="earlier"/> must be asked again under this content: the
    /// categories, their services or the wording changed. Lifetimes and Consent Mode mappings alone do not.
    /// </summary>
    public bool RenewsConsentGivenUnder(ConsentPolicyContent earlier) =>
        CanonicalJson.Hash(new { Categories, Texts, Controls }) != CanonicalJson.Hash(new { earlier.Categories, earlier.Texts, earlier.Controls });
}

/// <summary>What the banner says in one language.</summary>
public sealed record BannerText
{
    public required string Title { get; init; }

    public required string Message { get; init; }

    /// <summary>The cookie policy the banner links to.</summary>
    public required string PolicyUrl { get; init; }

    /// <summary>Labels of the controls in this language, by control key; a control without one shows its default label.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>A button or link of the banner.</summary>
public sealed record BannerControl
{
    /// <summary>What the banner sends as <c>control</c> when it is used, e.g. <c>continue</c>.</summary>
    public required string Key { get; init; }

    public required string Label { get; init; }

    public required ControlMeaning Meaning { get; init; }
}

/// <summary>What using a control means, which decides what it can grant.</summary>
public enum ControlMeaning
{
    /// <summary>Grants every category.</summary>
    AcceptAll,

    /// <summary>Refuses every optional category.</summary>
    RejectAll,

    /// <summary>Opens the preferences panel; records nothing by itself.</summary>
    OpenPreferences,

    /// <summary>Saves the choices made in the preferences panel.</summary>
    SavePreferences,

    /// <summary>A "Continue" or "accessing any content means you agree": recorded, but grants only strictly necessary categories.</summary>
    Implied,
}

/// <summary>One purpose of cookies and similar technologies.</summary>
public sealed record ConsentCategory
{
    /// <summary>Stable key, e.g. <c>technical</c>, <c>profiling</c>.</summary>
    public required string Key { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Strictly necessary: always on, and cannot be refused (ePrivacy Directive Art. 5(3)).</summary>
    public required bool Required { get; init; }

    /// <summary>Why a required category is strictly necessary for the service the visitor asked for.</summary>
    public string? Justification { get; init; }

    /// <summary>The toggle's initial state in the preferences panel; optional categories must start off.</summary>
    public bool Default { get; init; }

    /// <summary>The cookies and services the category covers.</summary>
    public required IReadOnlyList<ConsentService> Services { get; init; }
}

/// <summary>A cookie, script or service a category covers.</summary>
public sealed record ConsentService
{
    public required string Name { get; init; }

    /// <summary>Who sets it, e.g. the site's domain or a vendor.</summary>
    public required string Provider { get; init; }

    public required ServiceParty Party { get; init; }

    /// <summary>How long it lasts, as the policy states it (<c>session</c>, <c>13 months</c>).</summary>
    public required string Lifetime { get; init; }

    public string? Purpose { get; init; }
}

/// <summary>Whether the site itself or someone else sets a cookie.</summary>
public enum ServiceParty
{
    First,
    Third,
}
