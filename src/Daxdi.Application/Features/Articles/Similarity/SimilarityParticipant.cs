using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Articles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Application.Features.Articles.Similarity;

/// <summary>Tells the similarity index which sites' articles a commit changed, after it commits, so this node's next comparison sees them.</summary>
public sealed class SimilarityParticipant(IArticleSimilarity similarity) : ICommitParticipant
{
    private readonly HashSet<Guid> _sites = [];

    public ValueTask<IEnumerable<Guid>> PrepareAsync(ChangeTracker tracker, CancellationToken cancellationToken)
    {
        _sites.UnionWith(tracker.Entries<Article>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity.SiteId));
        return ValueTask.FromResult(Enumerable.Empty<Guid>());
    }

    public Task InTransactionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AfterCommitAsync(CancellationToken cancellationToken)
    {
        foreach (var site in _sites)
        {
            similarity.SiteChanged(site);
        }

        Discard();
        return Task.CompletedTask;
    }

    public void Discard() => _sites.Clear();
}
