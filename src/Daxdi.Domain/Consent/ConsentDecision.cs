using Daxdi.Domain.Common;

namespace Daxdi.Domain.Consent;

/// <summary>What a visitor did on the banner.</summary>
public enum ConsentDecisionKind
{
    /// <summary>Granted every category.</summary>
    AcceptAll,

    /// <summary>Refused every optional category.</summary>
    RejectAll,

    /// <summary>Saved their preferences, category by category.</summary>
    Custom,

    /// <summary>Used a control the policy marks implied ("Continue"); grants only strictly necessary categories.</summary>
    Implied,

    /// <summary>Took back an earlier consent: only strictly necessary categories from now on.</summary>
    Withdraw,
}

/// <summary>A decision as the banner reports it, before the policy's rules apply.</summary>
public sealed record ConsentChoice(ConsentDecisionKind Decision, string? Control, IReadOnlyDictionary<string, bool> Categories, bool GlobalPrivacyControl);

/// <summary>What a decision amounts to under a policy version: the proof's conclusions.</summary>
public sealed record ConsentOutcome(
    IReadOnlyDictionary<string, bool> Effective,
    bool ValidForProcessing,
    DateTime ExpiresAt,
    IReadOnlyDictionary<string, string> ConsentMode,
    bool GpcApplied,
    string? Note);

/// <summary>Applies a policy version's rules to a visitor's choice.</summary>
public static class ConsentDecisions
{
    public const string Granted = "granted";
    public const string Denied = "denied";

    /// <summary>Why an implied decision grants nothing optional; the receipt carries it.</summary>
    public const string ImpliedNote =
        "Continuing to browse or using a control marked implied is not consent under the GDPR (Art. 4(11), 7) as the EDPB reads it "
        + "(Guidelines 05/2020 on consent, §86): only strictly necessary categories apply, and this record is not valid for processing.";

    /// <summary>
    /// Checks the choice against <paramref name="policy"/> (published) and works out its effect at <paramref name="now"/>.
    /// Refuses unknown categories and controls, refusing a required category, and granting an optional one through a
    /// control that cannot grant it.
    /// </summary>
    public static ConsentOutcome Apply(ConsentPolicy policy, ConsentChoice choice, DateTime now)
    {
        var content = policy.Content;
        var control = FindControl(content, choice);
        foreach (var (key, granted) in choice.Categories)
        {
            var category = content.Category(key)
                ?? throw DomainException.Invalid("consent.unknown_category", $"Policy version {policy.Number} has no category '{key}'.");
            if (category.Required && !granted)
            {
                throw DomainException.InvalidState("consent.required_refused",
                    $"'{key}' is strictly necessary and cannot be refused; leave it out or send true.");
            }

            if (!category.Required && granted && control?.Meaning is not (ControlMeaning.AcceptAll or ControlMeaning.SavePreferences))
            {
                throw DomainException.InvalidState("consent.control_cannot_grant",
                    $"Control '{choice.Control}' ({control?.Meaning.ToString() ?? "none"}) cannot grant the optional category '{key}'; "
                    + "only an accept-all or save-preferences control can.");
            }
        }

        EnsureFits(choice, control);
        var effective = content.Categories.ToDictionary(c => c.Key, c => c.Required || choice.Decision switch
        {
            ConsentDecisionKind.AcceptAll => true,
            ConsentDecisionKind.Custom => choice.Categories.GetValueOrDefault(c.Key),
            _ => false,
        });
        var gpcApplied = false;
        if (choice.GlobalPrivacyControl)
        {
            foreach (var key in content.GpcRefuses.Where(k => effective.GetValueOrDefault(k)))
            {
                effective[key] = false;
                gpcApplied = true;
            }
        }

        var implied = choice.Decision == ConsentDecisionKind.Implied;
        var grantsOptional = content.Categories.Any(c => !c.Required && effective[c.Key]);
        var expiresAt = now.AddDays(grantsOptional ? content.ConsentLifetimeDays : content.RefusalLifetimeDays);
        return new ConsentOutcome(effective, !implied, expiresAt, ConsentMode(content, effective, implied), gpcApplied,
            implied ? ImpliedNote : gpcApplied ? "The browser's Global Privacy Control signal refused the categories the policy names." : null);
    }

    /// <summary>
    /// The seven Consent Mode v2 signals: granted when a granted category maps to them, otherwise denied; all denied for
    /// an implied decision, which is not consent.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ConsentMode(ConsentPolicyContent content, IReadOnlyDictionary<string, bool> effective, bool implied)
    {
        var granted = implied
            ? []
            : content.ConsentMode.Where(m => effective.GetValueOrDefault(m.Key)).SelectMany(m => m.Value).ToHashSet();
        return ConsentRules.ConsentModeSignals.ToDictionary(s => s, s => granted.Contains(s) ? Granted : Denied);
    }

    private static BannerControl? FindControl(ConsentPolicyContent content, ConsentChoice choice)
    {
        if (choice.Control is null)
        {
            return choice.Decision == ConsentDecisionKind.Withdraw
                ? null
                : throw DomainException.Invalid("consent.control_required", "Say which control of the banner the visitor used.");
        }

        return content.Control(choice.Control)
            ?? throw DomainException.Invalid("consent.unknown_control", $"The policy has no control '{choice.Control}'.");
    }

    private static void EnsureFits(ConsentChoice choice, BannerControl? control)
    {
        var fits = control is null || choice.Decision switch
        {
            ConsentDecisionKind.AcceptAll => control.Meaning == ControlMeaning.AcceptAll,
            ConsentDecisionKind.RejectAll => control.Meaning is ControlMeaning.RejectAll or ControlMeaning.SavePreferences,
            ConsentDecisionKind.Custom => control.Meaning == ControlMeaning.SavePreferences,
            ConsentDecisionKind.Implied => control.Meaning == ControlMeaning.Implied,
            ConsentDecisionKind.Withdraw => control.Meaning is not ControlMeaning.AcceptAll and not ControlMeaning.Implied,
            _ => false,
        };
        if (!fits)
        {
            throw DomainException.InvalidState("consent.control_mismatch",
                $"A '{choice.Decision.ToString().ToLowerInvariant()}' decision cannot come from control '{control!.Key}' ({control.Meaning}).");
        }
    }
}
