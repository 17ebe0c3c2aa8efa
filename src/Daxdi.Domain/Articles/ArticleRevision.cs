namespace Daxdi.Domain.Articles;

/// <summary>What a revision records.</summary>
public enum RevisionAction
{
    Created,
    Updated,
    Published,
    Scheduled,
    Unpublished,
    Archived,
    Restored,
    RecommendationsChanged,
    Deleted,
}

/// <summary>The state of an article after one change: the full content plus its workflow state.</summary>
public sealed record ArticleSnapshot(
    ArticleContent Content,
    ArticleStatus Status,
    DateTime? PublishedAt,
    DateTime? ScheduledAt,
    IReadOnlyList<Guid> RecommendationIds);

/// <summary>
/// One entry of an article's history. <see cref="Number"/> is the article's version after the change,
/// so revision <c>n</c> is exactly what <c>ETag: "n"</c> described. Revisions are never rewritten.
/// </summary>
public sealed class ArticleRevision
{
    private ArticleRevision()
    {
    }

    internal ArticleRevision(Guid articleId, int number, RevisionAction action, IReadOnlyList<string> changes,
        ArticleSnapshot snapshot, string actor, DateTime now, int? restoredFrom)
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero));
        ArticleId = articleId;
        Number = number;
        Action = action;
        Changes = changes;
        Snapshot = snapshot;
        CreatedBy = actor;
        CreatedAt = now;
        RestoredFrom = restoredFrom;
    }

    public Guid Id { get; private set; }

    public Guid ArticleId { get; private set; }

    public int Number { get; private set; }

    public RevisionAction Action { get; private set; }

    /// <summary>The JSON names of the fields this change touched.</summary>
    public IReadOnlyList<string> Changes { get; private set; } = [];

    public ArticleSnapshot Snapshot { get; private set; } = null!;

    public string CreatedBy { get; private set; } = null!;

    public DateTime CreatedAt { get; private set; }

    /// <summary>For <see cref="RevisionAction.Restored"/>: the revision whose content was put back.</summary>
    public int? RestoredFrom { get; private set; }
}
