using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Logging;

namespace Daxdi.Application.Common;

/// <summary>
/// Saves what the change tracker holds in one transaction with the public documents it changes, then evicts the
/// public responses it changed. The only way commands and the scheduler commit, so no writer can forget either.
/// </summary>
public sealed partial class UnitOfWork(
    IDaxdiDbContext db, IPublicCache cache, PublishedDocuments documents, DocumentRenderSignal rendering, IStoreErrors storeErrors,
    ILogger<UnitOfWork> logger)
{
    /// <summary>Runs of a <see cref="IRetryableCommand"/>: the first, and the locked ones after a lost race.</summary>
    public const int MaxAttempts = 3;

    /// <summary>
    /// Runs a command's handler and commits what it tracked. When a <paramref name="retryable"/> command's commit loses a
    /// race on a unique index, the handler runs again on a fresh tracker, in a transaction that first locks the sites
    /// the lost attempt wrote to.
    /// </summary>
    /// <remarks>
    /// The lock is what makes one more run enough. Without it, 16 creates of one title on PostgreSQL each read the
    /// same free suffix again and lose again, one winner per round. Every commit that changes a site's articles or terms
    /// takes that site's lock (<see cref="CommitAsync"/>), so no other writer of the site commits while the locked run
    /// reads and saves: it sees what the winners left and cannot lose the same race. On SQLite the lock is the store's
    /// single write lock. Only retries hold it across the handler; first runs read without it, as before.
    /// </remarks>
    public async Task<T> RunAsync<T>(Func<ValueTask<T>> handle, bool retryable, CancellationToken cancellationToken)
    {
        List<Guid>? lockFirst = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = lockFirst is null ? null : await db.Database.BeginTransactionAsync(cancellationToken);
                await documents.LockAsync(lockFirst ?? [], cancellationToken);
                var response = await handle();
                await CommitAsync(cancellationToken);
                return response;
            }
            catch (Exception e) when (retryable && attempt < MaxAttempts && storeErrors.IsUniqueViolation(e))
            {
                lockFirst = [.. SitesChanging(db.ChangeTracker)];
                db.ChangeTracker.Clear();
                LogRetrying(attempt);
            }
        }
    }

    /// <summary>
    /// Saves in one transaction, with the changed sites locked and their documents rendered again, and commits it; the
    /// transaction is the one already open (a retry's, see <see cref="RunAsync"/>) or its own.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        PublicChanges.Note(db.ChangeTracker, cache);
        var changes = DocumentChanges.Of(db.ChangeTracker);
        var sites = SitesChanging(db.ChangeTracker).ToList();
        var open = db.Database.CurrentTransaction;
        var leftToBackground = false;
        if (sites.Count == 0 && open is null)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            await using var own = open is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await documents.LockAsync(sites, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            leftToBackground = await documents.RefreshAsync(changes, cancellationToken);
            await (open ?? own!).CommitAsync(cancellationToken);
        }

        await cache.FlushAsync(cancellationToken);
        if (leftToBackground)
        {
            rendering.Raise();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A concurrent write took a unique key first; running the command again (attempt {Attempt} lost)")]
    private partial void LogRetrying(int attempt);

    /// <summary>The sites whose articles or terms the tracker is about to change, in one order for every writer.</summary>
    private static IEnumerable<Guid> SitesChanging(ChangeTracker tracker) => tracker.Entries()
        .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
        .Select(e => e.Entity switch { Article a => a.SiteId, TaxonomyTerm t => t.SiteId, _ => (Guid?)null })
        .OfType<Guid>().Distinct().Order();
}
