using Daxdi.Application.Common;
using System.Text;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using FluentValidation;

namespace Daxdi.Application.Features.Articles;

/// <summary>
/// An article as an editor writes it: the body of <c>POST …/sites/{site}/articles</c> and of
/// <c>PUT …/articles/{id}</c> (a full replacement: omitted optional fields are cleared).
/// </summary>
public sealed record ArticleFields
{
    /// <example>Harbour bridge reopens after six months of repairs</example>
    public required string Title { get; init; }

    /// <summary>Lowercase kebab slug, unique in the site. <c>null</c>: generated from the title on create, kept on replace.</summary>
    /// <example>harbour-bridge-reopens</example>
    public string? Slug { get; init; }

    /// <example>Commuters get their twenty-minute shortcut back on Monday</example>
    public string? Subtitle { get; init; }

    /// <summary>Summary for lists and cards. <c>null</c>: generated from the first words of the body.</summary>
    /// <example>The bridge reopens on Monday at 6 a.m.</example>
    public string? Excerpt { get; init; }

    /// <summary>HTML, or Markdown when <c>bodyFormat</c> is <c>markdown</c>. Sanitized on save. At most 64 KiB, nested at most 64 levels deep, 5,000 HTML elements, 80 ms to render.</summary>
    /// <example>## Back in service\n\nThe bridge **reopens** on Monday at 6 a.m.</example>
    public required string Body { get; init; }

    /// <summary><c>html</c> (default) or <c>markdown</c>.</summary>
    /// <example>markdown</example>
    public BodyFormat BodyFormat { get; init; } = BodyFormat.Html;

    /// <summary>Author slugs, in byline order (at most 10). They must exist in the site.</summary>
    /// <example>["jane-doe"]</example>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>Tag slugs or names (at most 20). A tag that does not exist yet is created.</summary>
    /// <example>["infrastructure", "City Hall"]</example>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Section slug; it must exist in the site.</summary>
    /// <example>news</example>
    public string? Section { get; init; }

    /// <summary>BCP 47 language tag; the site's default language when <c>null</c>.</summary>
    /// <example>en</example>
    public string? Language { get; init; }

    public ArticleImageFields? FeaturedImage { get; init; }

    /// <summary>Attribution when the story comes from elsewhere (a wire service, a partner).</summary>
    public ArticleSourceFields? Source { get; init; }

    /// <summary>Absolute URL of the original when this is a republication.</summary>
    public string? CanonicalUrl { get; init; }

    public ArticleSeoFields? Seo { get; init; }
}

// The three parts below are what an editor sends; responses show the stored FeaturedImage, SourceAttribution and
// SeoFields, which always carry every property. Distinct types let each schema say what its direction holds (ADR 0008).

/// <summary>The article's lead image, as an editor sets it.</summary>
public sealed record ArticleImageFields
{
    /// <summary>Absolute http(s) URL of the image.</summary>
    /// <example>https://cdn.daxdi.example/images/harbour-bridge.jpg</example>
    public required string Url { get; init; }

    /// <summary>Text alternative for screen readers.</summary>
    /// <example>The harbour bridge at dawn, reopened to traffic</example>
    public string? Alt { get; init; }

    /// <example>Traffic crossed the bridge again on Monday.</example>
    public string? Caption { get; init; }

    /// <example>Ada Reyes</example>
    public string? Credit { get; init; }

    internal FeaturedImage ToImage() => new(Url, Alt, Caption, Credit);
}

/// <summary>Where the story came from, as an editor sets it.</summary>
public sealed record ArticleSourceFields
{
    /// <example>Harbor Wire</example>
    public required string Name { get; init; }

    /// <summary>Absolute http(s) URL of the original.</summary>
    /// <example>https://wire.example/stories/harbour-bridge</example>
    public string? Url { get; init; }

    internal SourceAttribution ToSource() => new(Name, Url);
}

/// <summary>Overrides for search engines and social cards, as an editor sets them; omitted ones fall back to the title, excerpt and image.</summary>
public sealed record ArticleSeoFields
{
    /// <example>Harbour bridge reopens | Daxdi</example>
    public string? MetaTitle { get; init; }

    /// <example>After six months of repairs the harbour bridge reopens on Monday at 6 a.m.</example>
    public string? MetaDescription { get; init; }

    /// <summary>Absolute http(s) URL of the image for social cards.</summary>
    /// <example>https://cdn.daxdi.example/images/harbour-bridge-card.jpg</example>
    public string? SocialImage { get; init; }

    internal SeoFields ToSeo() => new(MetaTitle, MetaDescription, SocialImage);
}

public sealed class ArticleFieldsValidator : AbstractValidator<ArticleFields>
{
    public ArticleFieldsValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(ArticleRules.TitleMaxLength).SingleLine();
        RuleFor(x => x.Slug!).MaximumLength(ArticleRules.SlugMaxLength).IsSlug()
            .Must(s => !ArticleRules.ReservedSlugs.Contains(s)).WithMessage("'{PropertyValue}' is a reserved slug.")
            .When(x => x.Slug is not null);
        RuleFor(x => x.Subtitle).MaximumLength(ArticleRules.SubtitleMaxLength).SingleLine();
        RuleFor(x => x.Excerpt).MaximumLength(ArticleRules.ExcerptMaxLength);
        RuleFor(x => x.Body).NotNull()
            .Must(b => Encoding.UTF8.GetByteCount(b) <= ArticleRules.BodyMaxBytes)
            .WithMessage($"'body' must be at most {ArticleRules.BodyMaxBytes} bytes of UTF-8.");
        RuleFor(x => x.BodyFormat).IsInEnum();
        RuleFor(x => x.Authors).NotNull().MaxDistinct(ArticleRules.MaxAuthors, "authors");
        RuleForEach(x => x.Authors).NotEmpty().MaximumLength(Domain.Taxonomy.TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Tags).NotNull().MaxDistinct(ArticleRules.MaxTags, "tags");
        RuleForEach(x => x.Tags).NotEmpty().MaximumLength(ArticleRules.TagNameMaxLength).SingleLine();
        RuleFor(x => x.Section).MaximumLength(Domain.Taxonomy.TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Language!).MaximumLength(ArticleRules.LanguageMaxLength)
            .Must(SiteFieldsValidator.IsLanguageTag).WithMessage("'{PropertyValue}' is not a BCP 47 language tag such as 'en' or 'pt-BR'.")
            .When(x => x.Language is not null);
        RuleFor(x => x.FeaturedImage!).ChildRules(image =>
        {
            image.RuleFor(i => i.Url).NotEmpty().IsWebUrl();
            image.RuleFor(i => i.Alt).MaximumLength(ArticleRules.ImageTextMaxLength).SingleLine();
            image.RuleFor(i => i.Caption).MaximumLength(ArticleRules.ImageTextMaxLength);
            image.RuleFor(i => i.Credit).MaximumLength(ArticleRules.SourceNameMaxLength).SingleLine();
        }).When(x => x.FeaturedImage is not null);
        RuleFor(x => x.Source!).ChildRules(source =>
        {
            source.RuleFor(s => s.Name).NotEmpty().MaximumLength(ArticleRules.SourceNameMaxLength).SingleLine();
            source.RuleFor(s => s.Url!).IsWebUrl().When(s => s.Url is not null);
        }).When(x => x.Source is not null);
        RuleFor(x => x.CanonicalUrl!).IsWebUrl().When(x => x.CanonicalUrl is not null);
        RuleFor(x => x.Seo!).ChildRules(seo =>
        {
            seo.RuleFor(s => s.MetaTitle).MaximumLength(ArticleRules.MetaTitleMaxLength).SingleLine();
            seo.RuleFor(s => s.MetaDescription).MaximumLength(ArticleRules.MetaDescriptionMaxLength);
            seo.RuleFor(s => s.SocialImage!).IsWebUrl().When(s => s.SocialImage is not null);
        }).When(x => x.Seo is not null);
    }
}

/// <summary>Field rules shared by articles and taxonomy.</summary>
public static class ContentRules
{
    public static IRuleBuilderOptions<T, string> IsSlug<T>(this IRuleBuilder<T, string> rule) =>
        rule.Matches(SlugRules.Pattern)
            .WithMessage("'{PropertyName}' must be lowercase letters, digits and single hyphens, e.g. 'city-council-vote'.");

    /// <summary>An absolute http(s) URL of reasonable length.</summary>
    public static IRuleBuilderOptions<T, string> IsWebUrl<T>(this IRuleBuilder<T, string> rule) =>
        rule.MaximumLength(ArticleRules.UrlMaxLength).SingleLine()
            .Must(v => Uri.TryCreate(v, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .WithMessage("'{PropertyName}' must be an absolute http or https URL.");

    public static IRuleBuilderOptions<T, IReadOnlyList<string>> MaxDistinct<T>(
        this IRuleBuilder<T, IReadOnlyList<string>> rule, int max, string name) =>
        rule.Must(v => v.Count <= max).WithMessage($"At most {max} {name}.")
            .Must(v => v.Distinct(StringComparer.OrdinalIgnoreCase).Count() == v.Count).WithMessage($"'{name}' must not repeat an entry.");
}
