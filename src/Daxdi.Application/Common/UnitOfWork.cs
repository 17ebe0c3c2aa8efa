using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;

namespace Daxdi.Application.Common;

/// <summary>
/// Saves what the change tracker holds in one transaction with the public documents it changes, then evicts the
/// public responses it changed. The only way commands and the scheduler commit, so no writer can forget either.
/// </summary>
public sealed class UnitOfWork(IDaxdiDbContext db, IPublicCache cache, PublishedDocuments documents, DocumentRenderSignal rendering)
{
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        PublicChanges.Note(db.ChangeTracker, cache);
        var changes = DocumentChanges.Of(db.ChangeTracker);
        var leftToBackground = false;
        if (changes.IsEmpty)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await documents.LockAsync(changes.Sites, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            leftToBackground = await documents.RefreshAsync(changes, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await cache.FlushAsync(cancellationToken);
        if (leftToBackground)
        {
            rendering.Raise();
        }
    }
}
