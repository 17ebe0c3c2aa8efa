namespace Daxdi.Domain.Articles;

/// <summary>
/// Everything an editor writes about an article, already resolved (taxonomy ids, sanitized HTML, computed counts).
/// It is what a save replaces, what a revision snapshots and what a restore puts back.
/// </summary>
public sealed record ArticleContent
{
    public required string Slug { get; init; }

    public required string Title { get; init; }

    public string? Subtitle { get; init; }

    /// <summary>The excerpt shown in lists: the editor's, or one generated from the body.</summary>
    public required string Excerpt { get; init; }

    public bool ExcerptGenerated { get; init; }

    /// <summary>Sanitized HTML, whatever the editor wrote it in.</summary>
    public required string Body { get; init; }

    public BodyFormat BodyFormat { get; init; }

    /// <summary>The Markdown the editor wrote, when <see cref="BodyFormat"/> is Markdown.</summary>
    public string? MarkdownSource { get; init; }

    public required string Language { get; init; }

    /// <summary>The body as plain text, for full-text search.</summary>
    public string SearchText { get; init; } = "";

    public Guid? SectionId { get; init; }

    public IReadOnlyList<Guid> AuthorIds { get; init; } = [];

    public IReadOnlyList<Guid> TagIds { get; init; } = [];

    public FeaturedImage? FeaturedImage { get; init; }

    public SourceAttribution? Source { get; init; }

    public string? CanonicalUrl { get; init; }

    public SeoFields Seo { get; init; } = SeoFields.Empty;

    public int WordCount { get; init; }

    public int ReadingTimeMinutes { get; init; }

    /// <summary>The JSON names of the fields that differ from <paramref name="other"/>, for revision history.</summary>
    public IReadOnlyList<string> ChangedFrom(ArticleContent other)
    {
        var changes = new List<string>();
        void Check(bool same, string field)
        {
            if (!same)
            {
                changes.Add(field);
            }
        }

        Check(Slug == other.Slug, "slug");
        Check(Title == other.Title, "title");
        Check(Subtitle == other.Subtitle, "subtitle");
        Check(Excerpt == other.Excerpt, "excerpt");
        Check(Body == other.Body && BodyFormat == other.BodyFormat && MarkdownSource == other.MarkdownSource, "body");
        Check(Language == other.Language, "language");
        Check(SectionId == other.SectionId, "section");
        Check(AuthorIds.SequenceEqual(other.AuthorIds), "authors");
        Check(TagIds.SequenceEqual(other.TagIds), "tags");
        Check(FeaturedImage == other.FeaturedImage, "featuredImage");
        Check(Source == other.Source, "source");
        Check(CanonicalUrl == other.CanonicalUrl, "canonicalUrl");
        Check(Seo == other.Seo, "seo");
        return changes;
    }
}
