namespace Daxdi.Domain.Articles;

/// <summary>
/// A read model: the exact public JSON of a published article and its ETag, rendered when the article or anything it
/// shows changes, so a public read by slug is one indexed lookup. It exists only while the article is published.
/// </summary>
public sealed class PublishedArticleDocument
{
    private PublishedArticleDocument()
    {
    }

    public PublishedArticleDocument(Guid articleId, Guid siteId, string slug, byte[] json, string etag)
    {
        ArticleId = articleId;
        SiteId = siteId;
        Slug = slug;
        Json = json;
        ETag = etag;
    }

    public Guid ArticleId { get; private set; }

    public Guid SiteId { get; private set; }

    public string Slug { get; private set; } = null!;

    /// <summary>UTF-8 JSON, byte for byte what the public endpoint answers.</summary>
    public byte[] Json { get; private set; } = null!;

    /// <summary>The strong entity tag of <see cref="Json"/>, quoted.</summary>
    public string ETag { get; private set; } = null!;
}
