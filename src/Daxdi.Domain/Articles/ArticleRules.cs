namespace Daxdi.Domain.Articles;

/// <summary>Limits of an article's fields, shared by validation and the store schema.</summary>
public static class ArticleRules
{
    public const int SlugMaxLength = 120;
    public const int TitleMaxLength = 200;
    public const int SubtitleMaxLength = 300;
    public const int ExcerptMaxLength = 500;

    /// <summary>Length of an excerpt generated from the body when the editor gives none.</summary>
    public const int GeneratedExcerptLength = 280;

    /// <summary>
    /// The body as sent (HTML or Markdown source), in UTF-8 bytes: 64 KiB, about 10,000 words of prose. The whole
    /// create request for the largest, densest body costs the server well under 100 ms of CPU (docs/performance.md,
    /// ADR 0009); at 128 KiB it cost 137 ms.
    /// </summary>
    public const int BodyMaxBytes = 64 * 1024;

    public const int MaxAuthors = 10;
    public const int MaxTags = 20;
    public const int TagNameMaxLength = 100;
    public const int MaxRecommendations = 10;
    public const int UrlMaxLength = 2000;
    public const int ImageTextMaxLength = 500;
    public const int SourceNameMaxLength = 200;
    public const int MetaTitleMaxLength = 300;
    public const int MetaDescriptionMaxLength = 500;
    public const int LanguageMaxLength = 35;
    public const int ActorMaxLength = 100;

    /// <summary>Average adult silent-reading speed used for <c>readingTimeMinutes</c>.</summary>
    public const int WordsPerMinute = 230;

    /// <summary>
    /// Slugs a frontend commonly needs for its own pages (<c>/news/feed</c>, <c>/news/page</c>, …). A generated
    /// slug that hits one gets a suffix; an explicit one is refused.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedSlugs = new HashSet<string>(StringComparer.Ordinal)
    {
        "admin", "amp", "api", "archive", "authors", "edit", "feed", "import", "index", "latest", "new", "page",
        "preview", "rss", "search", "sections", "sitemap", "tags",
    };

    public static int ReadingTimeMinutes(int wordCount) =>
        wordCount == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(wordCount / (double)WordsPerMinute));
}
