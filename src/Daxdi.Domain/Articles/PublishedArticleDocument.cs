namespace Daxdi.Domain.Articles;

/// <summary>
/// A read model: the exact public JSON of a published article, its ETag and its JSON as a list item, rendered when the
/// article or anything it shows changes, so a public read by slug is one indexed lookup and a page of a list is one
/// lookup per item. It exists only while the article is published.
/// </summary>
public sealed class PublishedArticleDocument
{
    private PublishedArticleDocument()
    {
    }

    public PublishedArticleDocument(Guid articleId, Guid siteId, string slug, byte[] json, string etag, byte[] summary)
    {
        ArticleId = articleId;
        SiteId = siteId;
        Slug = slug;
        Json = json;
        ETag = etag;
        Summary = summary;
    }

    public Guid ArticleId { get; private set; }

    public Guid SiteId { get; private set; }

    public string Slug { get; private set; } = null!;

    /// <summary>UTF-8 JSON, byte for byte what the public endpoint answers.</summary>
    public byte[] Json { get; private set; } = null!;

    /// <summary>The strong entity tag of <see cref="Json"/>, quoted.</summary>
    public string ETag { get; private set; } = null!;

    /// <summary>UTF-8 JSON of the article as an item of a public list: byte for byte what a list page holds for it.</summary>
    public byte[] Summary { get; private set; } = null!;
}
