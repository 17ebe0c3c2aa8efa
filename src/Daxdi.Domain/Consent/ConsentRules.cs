using Daxdi.Domain.Common;

namespace Daxdi.Domain.Consent;

/// <summary>The limits and legal rules of consent policies and decisions.</summary>
public static class ConsentRules
{
    /// <summary>
    /// At most 13 months: the CNIL's guideline on cookies (2020, art. 2) and the Garante's (2021) for how long a consent
    /// may be kept before asking again.
    /// </summary>
    public const int MaxConsentLifetimeDays = 395;

    /// <summary>At least 6 months: a refusal must not be met by the banner again at the next visit (CNIL, Garante).</summary>
    public const int MinRefusalLifetimeDays = 182;

    /// <summary>Longest a refusal may be respected before the banner asks again (so it does not mean "never ask").</summary>
    public const int MaxRefusalLifetimeDays = 395;

    public const int KeyMaxLength = 40;
    public const int NameMaxLength = 100;
    public const int TextMaxLength = 4000;
    public const int UrlMaxLength = 2000;
    public const int MaxCategories = 20;
    public const int MaxServicesPerCategory = 100;
    public const int MaxControls = 10;
    public const int MaxLanguages = 30;
    public const int SubjectIdMaxLength = 64;

    /// <summary>The seven signals of Google Consent Mode v2.</summary>
    public static readonly IReadOnlyList<string> ConsentModeSignals =
    [
        "ad_storage", "analytics_storage", "ad_user_data", "ad_personalization",
        "functionality_storage", "personalization_storage", "security_storage",
    ];

    /// <summary>
    /// What a version must satisfy to be published. Shape (keys, lengths, known references) is checked when a draft
    /// is written; these are the rules of consent itself.
    /// </summary>
    public static void EnsurePublishable(ConsentPolicyContent content)
    {
        var preTicked = content.Categories.Where(c => !c.Required && c.Default).Select(c => c.Key).ToList();
        if (preTicked.Count > 0)
        {
            // CJEU C-673/17 Planet49: a pre-ticked box is not consent.
            throw DomainException.InvalidState("consent_policy.optional_preticked",
                $"Optional categories must start unticked; these default to on: {string.Join(", ", preTicked)}.");
        }

        var unjustified = content.Categories.Where(c => c.Required && string.IsNullOrWhiteSpace(c.Justification)).Select(c => c.Key).ToList();
        if (unjustified.Count > 0)
        {
            throw DomainException.InvalidState("consent_policy.required_unjustified",
                $"A strictly necessary category needs its justification: {string.Join(", ", unjustified)}.");
        }

        if (!content.Categories.Any(c => c.Required))
        {
            throw DomainException.InvalidState("consent_policy.no_required_category",
                "A policy needs one strictly necessary category, the one every decision keeps on.");
        }

        if (content.ConsentLifetimeDays > MaxConsentLifetimeDays)
        {
            throw DomainException.InvalidState("consent_policy.consent_lifetime_too_long",
                $"A consent may last at most {MaxConsentLifetimeDays} days (13 months).");
        }

        if (content.RefusalLifetimeDays < MinRefusalLifetimeDays)
        {
            throw DomainException.InvalidState("consent_policy.refusal_lifetime_too_short",
                $"A refusal must be respected for at least {MinRefusalLifetimeDays} days (6 months) before asking again.");
        }

        var meanings = content.Controls.Select(c => c.Meaning).ToHashSet();
        if (meanings.Contains(ControlMeaning.AcceptAll) && !meanings.Contains(ControlMeaning.RejectAll)
            && !meanings.Contains(ControlMeaning.SavePreferences))
        {
            // EDPB Guidelines 05/2020 §114 and the CNIL: refusing must be as easy as accepting.
            throw DomainException.InvalidState("consent_policy.no_way_to_refuse",
                "A banner with an accept-all control needs a reject-all control or saveable preferences.");
        }
    }
}
