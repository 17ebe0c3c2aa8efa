namespace Daxdi.Application.Features.Delivery;

/// <summary>The field names a public list may be narrowed to with <c>?fields=</c>.</summary>
public static class PublicFields
{
    /// <summary>Fields that need the article body (or its metadata) to be read.</summary>
    public static readonly IReadOnlySet<string> BodyFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "html", "source", "canonicalUrl", "seo",
    };

    public static readonly IReadOnlyList<string> Allowed =
    [
        "id", "slug", "title", "subtitle", "excerpt", "language", "publishedAt", "updatedAt", "readingTimeMinutes",
        "wordCount", "authors", "tags", "section", "featuredImage", .. BodyFields,
    ];

    /// <summary>Parses <c>title,slug,publishedAt</c>; false when a name is unknown or the list is empty.</summary>
    public static bool TryParse(string value, out HashSet<string> fields)
    {
        fields = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        return fields.Count > 0 && fields.All(Allowed.Contains);
    }
}
