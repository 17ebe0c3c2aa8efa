namespace Daxdi.Domain.Articles;

/// <summary>The article's lead image.</summary>
public sealed record FeaturedImage(string Url, string? Alt, string? Caption, string? Credit)
{
    /// <summary>Absolute URL of the image.</summary>
    /// <example>https://cdn.daxdi.example/images/harbour-bridge.jpg</example>
    public string Url { get; init; } = Url;

    /// <summary>Text alternative for screen readers.</summary>
    /// <example>The harbour bridge at dawn, reopened to traffic</example>
    public string? Alt { get; init; } = Alt;

    /// <example>Traffic crossed the bridge again on Monday.</example>
    public string? Caption { get; init; } = Caption;

    /// <example>Ada Reyes</example>
    public string? Credit { get; init; } = Credit;
}

/// <summary>Where the story came from (a wire service, a partner outlet).</summary>
public sealed record SourceAttribution(string Name, string? Url)
{
    /// <example>Harbor Wire</example>
    public string Name { get; init; } = Name;

    /// <example>https://wire.example/stories/harbour-bridge</example>
    public string? Url { get; init; } = Url;
}

/// <summary>Overrides for search engines and social cards; <c>null</c> falls back to the title, excerpt and image.</summary>
public sealed record SeoFields(string? MetaTitle, string? MetaDescription, string? SocialImage)
{
    public static readonly SeoFields Empty = new(null, null, null);

    /// <example>Harbour bridge reopens | Daxdi</example>
    public string? MetaTitle { get; init; } = MetaTitle;

    /// <example>After six months of repairs the harbour bridge reopens on Monday at 6 a.m.</example>
    public string? MetaDescription { get; init; } = MetaDescription;

    /// <summary>Absolute URL of the image for social cards.</summary>
    /// <example>https://cdn.daxdi.example/images/harbour-bridge-card.jpg</example>
    public string? SocialImage { get; init; } = SocialImage;
}
