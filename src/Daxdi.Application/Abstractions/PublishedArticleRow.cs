using System.Text.Json.Serialization;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Taxonomy;

namespace Daxdi.Application.Abstractions;

/// <summary>An author or tag of an article, with the term's slug and name.</summary>
public sealed record ArticleTermLink(Guid ArticleId, TermKind Kind, string Slug, string Name);

/// <summary>
/// What every published article shows, in a list as on its page: the first fields of the public JSON, and the columns
/// public reads take from the store for them. Declared once for both.
/// </summary>
public abstract record PublishedArticleHead
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    [JsonPropertyOrder(-1)]
    public required Guid Id { get; init; }

    /// <example>harbour-bridge-reopens</example>
    [JsonPropertyOrder(-1)]
    public required string Slug { get; init; }

    /// <example>Harbour bridge reopens after six months of repairs</example>
    [JsonPropertyOrder(-1)]
    public required string Title { get; init; }

    [JsonPropertyOrder(-1)]
    public required string? Subtitle { get; init; }

    /// <example>The bridge reopens on Monday at 6 a.m.</example>
    [JsonPropertyOrder(-1)]
    public required string Excerpt { get; init; }

    /// <example>en</example>
    [JsonPropertyOrder(-1)]
    public required string Language { get; init; }

    [JsonPropertyOrder(-1)]
    public required DateTime PublishedAt { get; init; }

    [JsonPropertyOrder(-1)]
    public required DateTime UpdatedAt { get; init; }

    /// <example>2</example>
    [JsonPropertyOrder(-1)]
    public required int ReadingTimeMinutes { get; init; }

    /// <example>412</example>
    [JsonPropertyOrder(-1)]
    public required int WordCount { get; init; }
}

/// <summary>One published article as public reads take it from the store: plain columns only.</summary>
public sealed record PublishedArticleRow : PublishedArticleHead
{
    public required string? SectionSlug { get; init; }

    public required string? SectionName { get; init; }

    public required string? ImageUrl { get; init; }

    public required string? ImageAlt { get; init; }

    public required string? ImageCaption { get; init; }

    public required string? ImageCredit { get; init; }

    public string? Html { get; init; }

    public string? SourceName { get; init; }

    public string? SourceUrl { get; init; }

    public string? CanonicalUrl { get; init; }

    public string? MetaTitle { get; init; }

    public string? MetaDescription { get; init; }

    public string? SocialImage { get; init; }

    public FeaturedImage? FeaturedImage() => ImageUrl is null ? null : new(ImageUrl, ImageAlt, ImageCaption, ImageCredit);
}
