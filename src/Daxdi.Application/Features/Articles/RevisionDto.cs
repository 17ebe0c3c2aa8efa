using System.Diagnostics.CodeAnalysis;
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
public sealed record RevisionSnapshotDto : ArticleContentDto
{
    [SetsRequiredMembers]
    internal RevisionSnapshotDto(ArticleSnapshot s, Dictionary<Guid, TermRef> terms)
        : base(s.Content, s.Status, s.PublishedAt, s.ScheduledAt, terms) =>
        RecommendationIds = s.RecommendationIds;

    /// <summary>The editors' picks at the time, by id.</summary>
    public required IReadOnlyList<Guid> RecommendationIds { get; init; }
}

/// <summary>A revision with its full snapshot.</summary>
public sealed record RevisionDto : RevisionSummaryDto
{
    public required RevisionSnapshotDto Article { get; init; }
}
