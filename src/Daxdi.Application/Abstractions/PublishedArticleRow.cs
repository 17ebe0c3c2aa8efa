using Daxdi.Domain.Articles;
using Daxdi.Domain.Taxonomy;

namespace Daxdi.Application.Abstractions;

/// <summary>An author or tag of an article, with the term's slug and name.</summary>
public sealed record ArticleTermLink(Guid ArticleId, TermKind Kind, string Slug, string Name);

/// <summary>One published article as public reads take it from the store: plain columns only.</summary>
public sealed record PublishedArticleRow
{
    public required Guid Id { get; init; }

    public required string Slug { get; init; }

    public required string Title { get; init; }

    public required string? Subtitle { get; init; }

    public required string Excerpt { get; init; }

    public required string Language { get; init; }

    public required DateTime PublishedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    public required int ReadingTimeMinutes { get; init; }

    public required int WordCount { get; init; }

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
