using Daxdi.Domain.Articles;

namespace Daxdi.Application.Features.Articles;

/// <summary>One entry of an article's history.</summary>
public record RevisionSummaryDto
{
    /// <summary>The article's version after this change (revision <c>n</c> is what <c>ETag: "n"</c> described).</summary>
    /// <example>3</example>
    public required int Number { get; init; }

    /// <example>updated</example>
    public required RevisionAction Action { get; init; }

    /// <summary>JSON names of the fields the change touched.</summary>
    /// <example>["title", "body"]</example>
    public required IReadOnlyList<string> Changes { get; init; }

    /// <summary>The article's status after the change.</summary>
    /// <example>draft</example>
    public required ArticleStatus Status { get; init; }

    /// <summary>For a restore: the revision whose content was put back.</summary>
    public required int? RestoredFrom { get; init; }

    /// <example>key:01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required string CreatedBy { get; init; }

    public required DateTime CreatedAt { get; init; }

    internal static RevisionSummaryDto From(ArticleRevision r) => new()
    {
        Number = r.Number, Action = r.Action, Changes = r.Changes, Status = r.Snapshot.Status,
        RestoredFrom = r.RestoredFrom, CreatedBy = r.CreatedBy, CreatedAt = r.CreatedAt,
    };
}

/// <summary>The article exactly as a revision saved it.</summary>
public sealed record RevisionSnapshotDto
{
    public required string Slug { get; init; }

    public required string Title { get; init; }

    public required string? Subtitle { get; init; }

    public required string Excerpt { get; init; }

    public required string Body { get; init; }

    public required BodyFormat BodyFormat { get; init; }

    public required string Html { get; init; }

    public required string Language { get; init; }

    /// <summary>Authors as they are now named; an author deleted since is left out.</summary>
    public required IReadOnlyList<TermRef> Authors { get; init; }

    public required IReadOnlyList<TermRef> Tags { get; init; }

    public required TermRef? Section { get; init; }

    public required FeaturedImage? FeaturedImage { get; init; }

    public required SourceAttribution? Source { get; init; }

    public required string? CanonicalUrl { get; init; }

    public required SeoFields Seo { get; init; }

    public required int WordCount { get; init; }

    public required int ReadingTimeMinutes { get; init; }

    public required ArticleStatus Status { get; init; }

    public required DateTime? PublishedAt { get; init; }

    public required DateTime? ScheduledAt { get; init; }

    public required IReadOnlyList<Guid> RecommendationIds { get; init; }
}

/// <summary>A revision with its full snapshot.</summary>
public sealed record RevisionDto : RevisionSummaryDto
{
    public required RevisionSnapshotDto Article { get; init; }
}
