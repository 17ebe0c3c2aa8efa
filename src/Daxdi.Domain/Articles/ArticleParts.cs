namespace Daxdi.Domain.Articles;

/// <summary>The article's lead image.</summary>
public sealed record FeaturedImage(string Url, string? Alt, string? Caption, string? Credit);

/// <summary>Where the story came from (a wire service, a partner outlet).</summary>
public sealed record SourceAttribution(string Name, string? Url);

/// <summary>Overrides for search engines and social cards; <c>null</c> falls back to the title, excerpt and image.</summary>
public sealed record SeoFields(string? MetaTitle, string? MetaDescription, string? SocialImage)
{
    public static readonly SeoFields Empty = new(null, null, null);
}
