namespace Daxdi.Domain.Articles;

/// <summary>What the retention policy needs to know about one revision (no snapshot).</summary>
public sealed record RevisionStub(Guid Id, int Number, RevisionAction Action, int? RestoredFrom, DateTime CreatedAt);

/// <summary>
/// Which revisions of an article an editor may still need (ADR 0011). Kept: every revision younger than the cut-off;
/// the first; every revision made while the article was published (each state readers saw, and the change that ended
/// it); every restored revision and the one it restored; and the latest <c>keepLatest</c>. The rest may be pruned.
/// </summary>
public static class RevisionRetention
{
    /// <summary>The revisions of one article that may be pruned, given all of them.</summary>
    public static IReadOnlyList<Guid> Prunable(IReadOnlyList<RevisionStub> revisions, DateTime keepAllAfter, int keepLatest)
    {
        var ordered = revisions.OrderBy(r => r.Number).ToList();
        var restoredFrom = ordered.Where(r => r.RestoredFrom is not null).Select(r => r.RestoredFrom!.Value).ToHashSet();
        var latest = ordered.Count - keepLatest;
        var prunable = new List<Guid>();
        var status = ArticleStatus.Draft;
        for (var i = 0; i < ordered.Count; i++)
        {
            var revision = ordered[i];
            var wasLive = status == ArticleStatus.Published;
            status = StatusAfter(revision.Action, status);
            var keep = i == 0 || i >= latest || revision.CreatedAt >= keepAllAfter || wasLive || status == ArticleStatus.Published
                || revision.Action == RevisionAction.Restored || restoredFrom.Contains(revision.Number);
            if (!keep)
            {
                prunable.Add(revision.Id);
            }
        }

        return prunable;
    }

    private static ArticleStatus StatusAfter(RevisionAction action, ArticleStatus before) => action switch
    {
        RevisionAction.Created => ArticleStatus.Draft,
        RevisionAction.Published => ArticleStatus.Published,
        RevisionAction.Scheduled => ArticleStatus.Scheduled,
        RevisionAction.Unpublished => ArticleStatus.Draft,
        RevisionAction.Archived => ArticleStatus.Archived,
        _ => before,
    };
}
