using Daxdi.Application.Common;
using System.Globalization;
using Daxdi.Domain.Sites;
using FluentValidation;

namespace Daxdi.Application.Features.Sites;

/// <summary>The editable fields of a site (the body of <c>PUT /api/v1/admin/sites/{site}</c>).</summary>
public record SiteFields
{
    /// <summary>Display name.</summary>
    /// <example>Daxdi News</example>
    public required string Name { get; init; }

    /// <summary>Primary host name of the site's frontend, without scheme or path.</summary>
    /// <example>daxdi.example</example>
    public required string Domain { get; init; }

    /// <summary>Absolute origins (<c>scheme://host[:port]</c>, no path) allowed to call the public endpoints from a browser.</summary>
    /// <example>["https://daxdi.example", "https://www.daxdi.example"]</example>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>BCP 47 language tag.</summary>
    /// <example>en</example>
    public required string DefaultLanguage { get; init; }
}

public sealed class SiteFieldsValidator : AbstractValidator<SiteFields>
{
    public SiteFieldsValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(SiteRules.NameMaxLength).SingleLine();
        RuleFor(x => x.Domain).NotEmpty().MaximumLength(SiteRules.DomainMaxLength)
            .Must(d => Uri.CheckHostName(d) == UriHostNameType.Dns && d.Contains('.', StringComparison.Ordinal))
            .WithMessage("'domain' must be a host name such as 'news.example', without scheme or path.");
        RuleFor(x => x.CorsOrigins).NotNull()
            .Must(o => o.Count <= SiteRules.MaxCorsOrigins).WithMessage($"At most {SiteRules.MaxCorsOrigins} CORS origins.")
            .Must(o => o.Distinct(StringComparer.OrdinalIgnoreCase).Count() == o.Count).WithMessage("CORS origins must be distinct.");
        RuleForEach(x => x.CorsOrigins).NotEmpty().MaximumLength(SiteRules.OriginMaxLength)
            .Must(IsAbsoluteOrigin)
            .WithMessage("'{PropertyValue}' is not an origin: use scheme://host[:port] with http or https and no path, e.g. https://news.example.");
        RuleFor(x => x.DefaultLanguage).NotEmpty().MaximumLength(SiteRules.LanguageMaxLength)
            .Must(IsLanguageTag).WithMessage("'{PropertyValue}' is not a BCP 47 language tag such as 'en' or 'pt-BR'.");
    }

    /// <summary>An origin as browsers send it: scheme, host and optional port, nothing else.</summary>
    public static bool IsAbsoluteOrigin(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.Equals(value, uri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);

    public static bool IsLanguageTag(string? value)
    {
        if (string.IsNullOrEmpty(value) || !System.Text.RegularExpressions.Regex.IsMatch(
                value, "^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", System.Text.RegularExpressions.RegexOptions.None,
                TimeSpan.FromMilliseconds(100)))
        {
            return false;
        }

        try
        {
            return !CultureInfo.GetCultureInfo(value, predefinedOnly: true).Equals(CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
