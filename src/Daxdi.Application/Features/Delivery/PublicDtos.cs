using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Articles;

namespace Daxdi.Application.Features.Delivery;

/// <summary>A published article in a list: everything a card or teaser needs, without the body.</summary>
public record PublicArticleSummary : PublishedArticleHead
{
    public PublicArticleSummary()
    {
    }

    [SetsRequiredMembers]
    internal PublicArticleSummary(PublishedArticleHead head, IReadOnlyList<TermRef> authors, IReadOnlyList<TermRef> tags,
        TermRef? section, FeaturedImage? featuredImage)
        : base(head)
    {
        Authors = authors;
        Tags = tags;
        Section = section;
        FeaturedImage = featuredImage;
    }

    /// <summary>In byline order.</summary>
    public required IReadOnlyList<TermRef> Authors { get; init; }

    public required IReadOnlyList<TermRef> Tags { get; init; }

    public required TermRef? Section { get; init; }

    public required FeaturedImage? FeaturedImage { get; init; }
}

/// <summary>A published article with its body and metadata.</summary>
public record PublicArticle : PublicArticleSummary
{
    [SetsRequiredMembers]
    internal PublicArticle(PublicArticleSummary summary, string html, SourceAttribution? source, string? canonicalUrl, SeoFields seo)
        : base(summary)
    {
        Html = html;
        Source = source;
        CanonicalUrl = canonicalUrl;
        Seo = seo;
    }

    /// <summary>Sanitized HTML, ready to render.</summary>
    /// <example>&lt;h2&gt;Back in service&lt;/h2&gt;&lt;p&gt;The bridge &lt;strong&gt;reopens&lt;/strong&gt; on Monday.&lt;/p&gt;</example>
    [JsonPropertyOrder(1)]
    public required string Html { get; init; }

    [JsonPropertyOrder(1)]
    public required SourceAttribution? Source { get; init; }

    [JsonPropertyOrder(1)]
    public required string? CanonicalUrl { get; init; }

    [JsonPropertyOrder(1)]
    public required SeoFields Seo { get; init; }
}

/// <summary>Why an article is recommended.</summary>
public enum RecommendationReason
{
    /// <summary>Picked by the site's editors.</summary>
    Editors,

    /// <summary>Shares tags with the article.</summary>
    Related,
}

/// <summary>An article recommended with another.</summary>
public sealed record RecommendedArticle : PublicArticleSummary
{
    [SetsRequiredMembers]
    internal RecommendedArticle(PublicArticleSummary summary, RecommendationReason reason)
        : base(summary) => Reason = reason;

    /// <example>editors</example>
    [JsonPropertyOrder(1)]
    public required RecommendationReason Reason { get; init; }
}

/// <summary>The recommendations of an article: the editors' picks first, then related articles.</summary>
public sealed record Recommendations(IReadOnlyList<RecommendedArticle> Items);

/// <summary>An author, tag or section of a site with how many published articles it has.</summary>
public sealed record PublicTerm
{
    /// <example>jane-doe</example>
    public required string Slug { get; init; }

    /// <example>Jane Doe</example>
    public required string Name { get; init; }

    /// <summary>The description of a tag or section, the bio of an author.</summary>
    public required string? Description { get; init; }

    /// <summary>Authors only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AvatarUrl { get; init; }

    /// <summary>Published articles with this term.</summary>
    /// <example>12</example>
    public required int ArticleCount { get; init; }
}
