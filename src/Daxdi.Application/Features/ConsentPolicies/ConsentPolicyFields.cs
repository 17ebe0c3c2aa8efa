using System.Text.RegularExpressions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Sites;
using FluentValidation;
using FluentValidation.Results;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>
/// What a compliance officer writes for one version of a site's cookie banner: the body of
/// <c>POST …/consent-policies</c> and <c>PUT …/consent-policies/{version}</c>. It becomes the version's content exactly,
/// and is what the content hash covers once the version is published.
/// </summary>
public sealed record ConsentPolicyFields
{
    /// <summary>The banner's texts by language (BCP 47 tag); at least one.</summary>
    /// <example>{"en": {"title": "Cookies on Daxdi News", "message": "We use technical cookies to run the site and, if you allow it, profiling cookies of ours and of partners.", "policyUrl": "https://daxdi.example/cookie-policy", "labels": {"save": "Save my choices"}}}</example>
    public required IReadOnlyDictionary<string, BannerTextFields> Texts { get; init; }

    /// <summary>The banner's buttons and links, each with what using it means; at least one.</summary>
    /// <example>[{"key": "preferences", "label": "Preferences", "meaning": "openPreferences"}, {"key": "save", "label": "Save my choices", "meaning": "savePreferences"}, {"key": "continue", "label": "Continue", "meaning": "implied"}]</example>
    public required IReadOnlyList<BannerControlFields> Controls { get; init; }

    /// <summary>The purposes a visitor can allow or refuse; at least one, strictly necessary ones first by convention.</summary>
    /// <example>[{"key": "technical", "name": "Technical cookies", "description": "Keep your session secure and remember your cookie choice.", "required": true, "justification": "Needed to serve the pages you ask for and to remember your choice.", "default": false, "services": [{"name": "dx_session", "provider": "daxdi.example", "party": "first", "lifetime": "session", "purpose": "Holds the security token of the visit."}]}, {"key": "profiling", "name": "Profiling cookies", "description": "Learn the topics you read to show matching ads.", "required": false, "justification": null, "default": false, "services": [{"name": "dx_interests", "provider": "daxdi.example", "party": "first", "lifetime": "6 months", "purpose": null}, {"name": "Ad personalisation", "provider": "Northwind Ads", "party": "third", "lifetime": "13 months", "purpose": "Chooses ads from your reading interests."}]}]</example>
    public required IReadOnlyList<ConsentCategoryFields> Categories { get; init; }

    /// <summary>
    /// Google Consent Mode v2: for a category key, the signals granted while the category is granted (every other signal
    /// is denied). Signals: <c>ad_storage</c>, <c>analytics_storage</c>, <c>ad_user_data</c>, <c>ad_personalization</c>,
    /// <c>functionality_storage</c>, <c>personalization_storage</c>, <c>security_storage</c>.
    /// </summary>
    /// <example>{"technical": ["security_storage", "functionality_storage"], "profiling": ["ad_storage", "ad_user_data", "ad_personalization"]}</example>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ConsentMode { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Optional categories that a Global Privacy Control signal (<c>Sec-GPC: 1</c>) refuses, whatever the visitor chose.</summary>
    /// <example>["profiling"]</example>
    public IReadOnlyList<string> GpcRefuses { get; init; } = [];

    /// <summary>Days a decision that grants an optional category lasts before the banner asks again; at most 395 (13 months) to publish.</summary>
    /// <example>180</example>
    public required int ConsentLifetimeDays { get; init; }

    /// <summary>Days a refusal (or an implied "Continue") is respected before the banner may ask again; at least 182 (6 months) to publish.</summary>
    /// <example>182</example>
    public required int RefusalLifetimeDays { get; init; }

    /// <summary>The content these fields describe; call it on fields the validator accepted.</summary>
    public ConsentPolicyContent ToContent() => new()
    {
        Texts = Texts.ToDictionary(t => t.Key, t => new BannerText
        {
            Title = t.Value.Title, Message = t.Value.Message, PolicyUrl = t.Value.PolicyUrl,
            Labels = new Dictionary<string, string>(t.Value.Labels ?? new Dictionary<string, string>()),
        }, StringComparer.Ordinal),
        Controls = [.. Controls.Select(c => new BannerControl { Key = c.Key, Label = c.Label, Meaning = c.Meaning })],
        Categories =
        [
            .. Categories.Select(c => new ConsentCategory
            {
                Key = c.Key, Name = c.Name, Description = c.Description, Required = c.Required,
                Justification = string.IsNullOrWhiteSpace(c.Justification) ? null : c.Justification, Default = c.Default,
                Services =
                [
                    .. c.Services.Select(s => new ConsentService
                    {
                        Name = s.Name, Provider = s.Provider, Party = s.Party, Lifetime = s.Lifetime, Purpose = s.Purpose,
                    }),
                ],
            }),
        ],
        ConsentMode = ConsentMode.ToDictionary(m => m.Key, m => (IReadOnlyList<string>)[.. m.Value], StringComparer.Ordinal),
        GpcRefuses = [.. GpcRefuses],
        ConsentLifetimeDays = ConsentLifetimeDays,
        RefusalLifetimeDays = RefusalLifetimeDays,
    };
}

/// <summary>What the banner says in one language.</summary>
public sealed record BannerTextFields
{
    /// <example>Cookies on Daxdi News</example>
    public required string Title { get; init; }

    /// <summary>The banner's message: which cookies, whose, what for, and what each control does.</summary>
    /// <example>We use technical cookies to run the site and, if you allow it, profiling cookies of ours and of partners to show ads that match your interests.</example>
    public required string Message { get; init; }

    /// <summary>The cookie policy the banner links to: an absolute http(s) URL.</summary>
    /// <example>https://daxdi.example/cookie-policy</example>
    public required string PolicyUrl { get; init; }

    /// <summary>The controls' labels in this language, by control key; a control without one shows its default label.</summary>
    /// <example>{"preferences": "Preferences"}</example>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>A button or link of the banner.</summary>
public sealed record BannerControlFields
{
    /// <summary>What the banner sends as <c>control</c> when it is used: letters, digits, <c>-</c> and <c>_</c>, starting with a letter.</summary>
    /// <example>continue</example>
    public required string Key { get; init; }

    /// <summary>The default label.</summary>
    /// <example>Continue</example>
    public required string Label { get; init; }

    /// <summary>
    /// What using it means: <c>acceptAll</c>, <c>rejectAll</c>, <c>openPreferences</c>, <c>savePreferences</c>, or
    /// <c>implied</c> (a "Continue": recorded, grants only strictly necessary categories).
    /// </summary>
    /// <example>implied</example>
    public required ControlMeaning Meaning { get; init; }
}

/// <summary>One purpose of cookies and similar technologies.</summary>
public sealed record ConsentCategoryFields
{
    /// <summary>Stable key: letters, digits, <c>-</c> and <c>_</c>, starting with a letter.</summary>
    /// <example>technical</example>
    public required string Key { get; init; }

    /// <example>Technical cookies</example>
    public required string Name { get; init; }

    /// <example>Keep you signed in, remember your cookie choice and protect the site from abuse.</example>
    public required string Description { get; init; }

    /// <summary>Strictly necessary: always on, cannot be refused. Publishing needs its <c>justification</c>.</summary>
    /// <example>true</example>
    public required bool Required { get; init; }

    /// <summary>Why a required category is strictly necessary for the service the visitor asked for (ePrivacy Art. 5(3)).</summary>
    /// <example>Without them the pages you ask for cannot be served securely and your cookie choice cannot be remembered.</example>
    public string? Justification { get; init; }

    /// <summary>The toggle's initial state in the preferences panel (default <c>false</c>); optional categories must start off to publish.</summary>
    /// <example>false</example>
    public bool Default { get; init; }

    /// <summary>The cookies and services the category covers.</summary>
    public required IReadOnlyList<ConsentServiceFields> Services { get; init; }
}

/// <summary>A cookie, script or service a category covers.</summary>
public sealed record ConsentServiceFields
{
    /// <example>session</example>
    public required string Name { get; init; }

    /// <summary>Who sets it: the site's domain or a vendor.</summary>
    /// <example>daxdi.example</example>
    public required string Provider { get; init; }

    /// <summary><c>first</c> (the site itself) or <c>third</c> (someone else).</summary>
    /// <example>first</example>
    public required ServiceParty Party { get; init; }

    /// <summary>How long it lasts, as the cookie policy states it.</summary>
    /// <example>session</example>
    public required string Lifetime { get; init; }

    /// <example>Keeps the visit's security token.</example>
    public string? Purpose { get; init; }
}

/// <summary>
/// The shape of a policy: keys, lengths, counts, and references that hold together (labels, Consent Mode and GPC name
/// this policy's controls and categories). The legal rules (no pre-ticked optional category, lifetimes, justification,
/// a way to refuse) are the domain's, checked at publish: a draft may break them while it is written.
/// </summary>
public sealed partial class ConsentPolicyFieldsValidator : AbstractValidator<ConsentPolicyFields>
{
    /// <summary>Longest consent lifetime a draft may hold at all (publishing allows 395 days): ten years keeps expiry dates sane.</summary>
    public const int MaxDraftLifetimeDays = 3650;

    public ConsentPolicyFieldsValidator()
    {
        RuleFor(x => x.Texts).NotNull()
            .Must(t => t.Count >= 1).WithMessage("'texts' must hold the banner in at least one language.")
            .Must(t => t.Count <= ConsentRules.MaxLanguages).WithMessage($"At most {ConsentRules.MaxLanguages} languages.");
        RuleFor(x => x.Texts).Custom(CheckTexts).When(x => x.Texts is not null);

        RuleFor(x => x.Controls).NotNull()
            .Must(c => c.Count >= 1).WithMessage("'controls' must hold at least one control.")
            .Must(c => c.Count <= ConsentRules.MaxControls).WithMessage($"At most {ConsentRules.MaxControls} controls.")
            .Must(c => UniqueKeys(c.Select(x => x?.Key))).WithMessage("'controls' must not repeat a key.");
        RuleForEach(x => x.Controls).NotNull().ChildRules(control =>
        {
            control.RuleFor(c => c.Key).IsConsentKey();
            control.RuleFor(c => c.Label).NotEmpty().MaximumLength(ConsentRules.NameMaxLength).SingleLine();
            control.RuleFor(c => c.Meaning).IsInEnum();
        });

        RuleFor(x => x.Categories).NotNull()
            .Must(c => c.Count >= 1).WithMessage("'categories' must hold at least one category.")
            .Must(c => c.Count <= ConsentRules.MaxCategories).WithMessage($"At most {ConsentRules.MaxCategories} categories.")
            .Must(c => UniqueKeys(c.Select(x => x?.Key))).WithMessage("'categories' must not repeat a key.");
        RuleForEach(x => x.Categories).NotNull().ChildRules(category =>
        {
            category.RuleFor(c => c.Key).IsConsentKey();
            category.RuleFor(c => c.Name).NotEmpty().MaximumLength(ConsentRules.NameMaxLength).SingleLine();
            category.RuleFor(c => c.Description).NotEmpty().MaximumLength(ConsentRules.TextMaxLength);
            category.RuleFor(c => c.Justification).MaximumLength(ConsentRules.TextMaxLength);
            category.RuleFor(c => c.Services).NotNull()
                .Must(s => s.Count <= ConsentRules.MaxServicesPerCategory)
                .WithMessage($"At most {ConsentRules.MaxServicesPerCategory} services in a category.");
            category.RuleForEach(c => c.Services).NotNull().ChildRules(service =>
            {
                service.RuleFor(s => s.Name).NotEmpty().MaximumLength(ConsentRules.NameMaxLength).SingleLine();
                service.RuleFor(s => s.Provider).NotEmpty().MaximumLength(ConsentRules.NameMaxLength).SingleLine();
                service.RuleFor(s => s.Party).IsInEnum();
                service.RuleFor(s => s.Lifetime).NotEmpty().MaximumLength(ConsentRules.NameMaxLength).SingleLine();
                service.RuleFor(s => s.Purpose).MaximumLength(ConsentRules.TextMaxLength);
            });
        });

        RuleFor(x => x.ConsentMode).NotNull();
        RuleFor(x => x.ConsentMode).Custom(CheckConsentMode).When(x => x.ConsentMode is not null);
        RuleFor(x => x.GpcRefuses).NotNull()
            .Must(g => UniqueKeys(g)).WithMessage("'gpcRefuses' must not repeat a category.");
        RuleForEach(x => x.GpcRefuses)
            .Must((policy, key) => OptionalCategories(policy).Contains(key))
            .WithMessage("'{PropertyValue}' is not an optional category of this policy; GPC can refuse only those.");

        RuleFor(x => x.ConsentLifetimeDays).InclusiveBetween(1, MaxDraftLifetimeDays);
        RuleFor(x => x.RefusalLifetimeDays).InclusiveBetween(1, ConsentRules.MaxRefusalLifetimeDays);
    }

    private static void CheckTexts(IReadOnlyDictionary<string, BannerTextFields> texts, ValidationContext<ConsentPolicyFields> context)
    {
        var controls = (context.InstanceToValidate.Controls ?? []).Where(c => c is not null).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (language, text) in texts)
        {
            var at = $"texts.{language}";
            if (language.Length > SiteRules.LanguageMaxLength || !SiteFieldsValidator.IsLanguageTag(language))
            {
                context.AddFailure(new ValidationFailure("texts", $"'{Shorten(language)}' is not a BCP 47 language tag such as 'en' or 'pt-BR'."));
                continue;
            }

            if (text is null)
            {
                context.AddFailure(new ValidationFailure(at, $"The banner text in '{language}' must not be null."));
                continue;
            }

            foreach (var failure in TextValidator.Validate(text).Errors)
            {
                context.AddFailure(new ValidationFailure($"{at}.{failure.PropertyName}", failure.ErrorMessage));
            }

            foreach (var (control, label) in text.Labels ?? new Dictionary<string, string>())
            {
                if (!controls.Contains(control))
                {
                    context.AddFailure(new ValidationFailure($"{at}.labels", $"'{Shorten(control)}' is not a control of this policy."));
                }
                else if (string.IsNullOrWhiteSpace(label) || label.Length > ConsentRules.NameMaxLength || label.AsSpan().ContainsAny("\t\n\r\u2028\u2029"))
                {
                    context.AddFailure(new ValidationFailure($"{at}.labels.{control}",
                        $"A label must be one line of 1 to {ConsentRules.NameMaxLength} characters."));
                }
            }
        }
    }

    private static void CheckConsentMode(IReadOnlyDictionary<string, IReadOnlyList<string>> mapping, ValidationContext<ConsentPolicyFields> context)
    {
        var categories = (context.InstanceToValidate.Categories ?? []).Where(c => c is not null).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (category, signals) in mapping)
        {
            if (!categories.Contains(category))
            {
                context.AddFailure(new ValidationFailure("consentMode", $"'{Shorten(category)}' is not a category of this policy."));
                continue;
            }

            var at = $"consentMode.{category}";
            if (signals is null)
            {
                context.AddFailure(new ValidationFailure(at, "The signals of a category must be a list, possibly empty."));
                continue;
            }

            if (signals.Any(s => s is null || !ConsentRules.ConsentModeSignals.Contains(s)))
            {
                context.AddFailure(new ValidationFailure(at,
                    $"Consent Mode signals are {string.Join(", ", ConsentRules.ConsentModeSignals)}; '{Shorten(signals.First(s => s is null || !ConsentRules.ConsentModeSignals.Contains(s)) ?? "null")}' is not one."));
            }
            else if (signals.Distinct(StringComparer.Ordinal).Count() != signals.Count)
            {
                context.AddFailure(new ValidationFailure(at, "A category must not list a signal twice."));
            }
        }
    }

    private static HashSet<string> OptionalCategories(ConsentPolicyFields policy) =>
        (policy.Categories ?? []).Where(c => c is { Required: false }).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>Keys are compared ignoring case: <c>Save</c> and <c>save</c> on one banner would be told apart by no one.</summary>
    private static bool UniqueKeys(IEnumerable<string?>? keys)
    {
        var list = (keys ?? []).Where(k => k is not null).ToList();
        return list.Distinct(StringComparer.OrdinalIgnoreCase).Count() == list.Count;
    }

    private static string Shorten(string value) => value.Length <= ConsentRules.KeyMaxLength ? value : value[..ConsentRules.KeyMaxLength] + "…";

    private static readonly InlineValidator<BannerTextFields> TextValidator = CreateTextValidator();

    private static InlineValidator<BannerTextFields> CreateTextValidator()
    {
        var validator = new InlineValidator<BannerTextFields>();
        validator.RuleFor(t => t.Title).NotEmpty().MaximumLength(ConsentRules.NameMaxLength).SingleLine();
        validator.RuleFor(t => t.Message).NotEmpty().MaximumLength(ConsentRules.TextMaxLength);
        validator.RuleFor(t => t.PolicyUrl).NotEmpty().MaximumLength(ConsentRules.UrlMaxLength).IsWebUrl();
        return validator;
    }
}

/// <summary>Rules of consent policy keys.</summary>
public static partial class ConsentKeyRules
{
    /// <summary>A control or category key: ASCII letters, digits, <c>-</c> and <c>_</c>, starting with a letter.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$", RegexOptions.None, 100)]
    public static partial Regex Pattern();

    public static IRuleBuilderOptions<T, string> IsConsentKey<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(ConsentRules.KeyMaxLength)
            .Must(k => k is null || Pattern().IsMatch(k))
            .WithMessage("'{PropertyName}' must be letters, digits, '-' and '_', starting with a letter, e.g. 'profiling' or 'acceptAll'.");
}
