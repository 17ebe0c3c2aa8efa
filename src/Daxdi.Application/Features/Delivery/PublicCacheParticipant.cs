using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Application.Features.Delivery;

/// <summary>
/// Tells the public cache what a commit changes and evicts it only once the commit is done, so no reader can cache
/// the old state again after the eviction.
/// </summary>
public sealed class PublicCacheParticipant(IPublicCache cache) : ICommitParticipant
{
    public ValueTask<IEnumerable<Guid>> PrepareAsync(ChangeTracker tracker, CancellationToken cancellationToken)
    {
        PublicChanges.Note(tracker, cache);
        return ValueTask.FromResult<IEnumerable<Guid>>([]);
    }

    public Task InTransactionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AfterCommitAsync(CancellationToken cancellationToken) => cache.FlushAsync(cancellationToken);

    public void Discard()
    {
        // Evictions noted by a rolled-back attempt are made after the successful one: at worst a miss on an unchanged page.
    }
}
