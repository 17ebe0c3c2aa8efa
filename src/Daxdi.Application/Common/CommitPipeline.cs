using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Daxdi.Application.Common;

/// <summary>
/// Derives state from a commit: runs before the save (while the tracker still shows what changes), in the transaction
/// after the save, and after the commit. The pipeline runs every participant, in registration order, on every commit.
/// </summary>
public interface ICommitParticipant
{
    /// <summary>Reads what is about to be saved (and may add to it). Returns the sites whose lock the commit needs.</summary>
    ValueTask<IEnumerable<Guid>> PrepareAsync(ChangeTracker tracker, CancellationToken cancellationToken);

    /// <summary>In the transaction, after the change is saved: derive what must commit with it.</summary>
    Task InTransactionAsync(CancellationToken cancellationToken);

    /// <summary>After the commit: what must not happen before others can see the change (cache eviction).</summary>
    Task AfterCommitAsync(CancellationToken cancellationToken);

    /// <summary>The attempt was rolled back: forget what <see cref="PrepareAsync"/> gathered.</summary>
    void Discard();
}

/// <summary>
/// The one way anything commits: a command's change, the outbox events its aggregates raised and what participants
/// derive from it (public documents) are saved in one transaction, inside the provider's execution strategy, and the
/// public cache is evicted after the commit. Commands reach it through <c>CommitBehavior</c>; start-up seeding calls
/// <see cref="RunAsync{T}"/>.
/// </summary>
public sealed partial class CommitPipeline(
    IDaxdiDbContext db, IEnumerable<ICommitParticipant> participants, IStoreWriteGate writeGate, IStoreErrors storeErrors,
    Idempotency.IdempotentCommit idempotency, ILogger<CommitPipeline> logger)
{
    /// <summary>Runs of a <see cref="IRetryableCommand"/>: the first, and the locked ones after a lost race.</summary>
    public const int MaxAttempts = 3;

    private readonly ICommitParticipant[] _participants = [.. participants];
    private readonly List<Func<CancellationToken, Task>> _statements = [];

    /// <summary>
    /// Runs a command's handler and commits what it tracked, as one unit the execution strategy may run again after a
    /// transient fault (PostgreSQL, SQL Server): each run starts from an empty tracker, so a retried commit writes its
    /// events once. When a <paramref name="retryable"/> command's commit loses a race on a unique index, the handler
    /// runs again on a fresh tracker, in a transaction that first locks the sites the lost attempt wrote to.
    /// </summary>
    /// <remarks>
    /// The lock is what makes one more run enough. Without it, 16 creates of one title on PostgreSQL each read the
    /// same free suffix again and lose again, one winner per round. Every commit that changes a site's articles or terms
    /// takes that site's lock, so no other writer of the site commits while the locked run reads and saves: it sees
    /// what the winners left and cannot lose the same race. On SQLite the lock is the store's single write lock. Only
    /// retries hold it across the handler; first runs read without it, unless <paramref name="lockFirst"/> names the
    /// sites to lock before the handler's first read (<see cref="ISiteLockedCommand"/>).
    /// </remarks>
    public async Task<T> RunAsync<T>(Func<ValueTask<T>> handle, bool retryable, CancellationToken cancellationToken,
        IReadOnlyList<Guid>? lockFirst = null)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var runs = 0;
        try
        {
            return await strategy.ExecuteAsync(async ct =>
            {
                if (runs++ > 0)
                {
                    Reset();
                }

                return await RunOnceAsync(handle, retryable, lockFirst, ct);
            }, cancellationToken);
        }
        catch
        {
            // Nothing of a failed command may ride along with the next one sent in the same scope (background jobs).
            Reset();
            throw;
        }
    }

    /// <summary>Runs <paramref name="statement"/> in the commit's transaction, after the locks and before the save.</summary>
    /// <remarks>For set-based changes the tracker cannot express (a site's rows going with it).</remarks>
    public void InTransaction(Func<CancellationToken, Task> statement) => _statements.Add(statement);

    /// <summary>
    /// Saves in one transaction, with the changed sites locked and the participants run, and commits it; the
    /// transaction is the one already open (a retry's, see <see cref="RunAsync"/>) or its own.
    /// </summary>
    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        var sites = SitesChanging(db.ChangeTracker).ToHashSet();
        foreach (var participant in _participants)
        {
            sites.UnionWith(await participant.PrepareAsync(db.ChangeTracker, cancellationToken));
        }

        var open = db.Database.CurrentTransaction;
        using (open is null ? await writeGate.EnterAsync(db.Database, cancellationToken) : null)
        {
            await SaveAsync(sites, open, cancellationToken);
        }

        _statements.Clear();
        foreach (var participant in _participants)
        {
            await participant.AfterCommitAsync(cancellationToken);
        }
    }

    private async Task SaveAsync(HashSet<Guid> sites, IDbContextTransaction? open,
        CancellationToken cancellationToken)
    {
        // Always in a transaction of its own: a failure before COMMIT then leaves nothing, and the execution strategy
        // may run the unit again; a failure of the COMMIT itself is told apart (CommitOrThrowUnknownAsync).
        await using var own = open is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await LockAsync(sites.Order(), cancellationToken);
        foreach (var statement in _statements)
        {
            await statement(cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var participant in _participants)
        {
            await participant.InTransactionAsync(cancellationToken);
        }

        await CommitOrThrowUnknownAsync(open ?? own!, cancellationToken);
    }

    /// <summary>
    /// Commits, or throws <see cref="CommitOutcomeUnknownException"/> when the connection broke with the COMMIT in
    /// flight. The execution strategy does not retry that exception: running the command again after a commit that had
    /// landed would save it twice (a second consent record, a second article), and answering that the store was
    /// unavailable would tell the client that nothing was saved.
    /// </summary>
    private async Task CommitOrThrowUnknownAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (storeErrors.LeavesCommitUnknown(e))
        {
            LogCommitUnknown(e);
            throw new CommitOutcomeUnknownException(e);
        }
    }

    private async Task<T> RunOnceAsync<T>(Func<ValueTask<T>> handle, bool retryable, IReadOnlyList<Guid>? lockFirst,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var turn = lockFirst is null ? null : await writeGate.EnterAsync(db.Database, cancellationToken);
                await using var transaction = lockFirst is null ? null : await db.Database.BeginTransactionAsync(cancellationToken);
                await LockAsync(lockFirst ?? [], cancellationToken);
                var response = await handle();
                idempotency.Record(response);
                await CommitAsync(cancellationToken);
                return response;
            }
            catch (Exception e) when (retryable && attempt < MaxAttempts && storeErrors.IsUniqueViolation(e))
            {
                lockFirst = [.. SitesChanging(db.ChangeTracker).Order()];
                Reset();
                LogRetrying(attempt);
            }
        }
    }

    private void Reset()
    {
        db.ChangeTracker.Clear();
        _statements.Clear();
        foreach (var participant in _participants)
        {
            participant.Discard();
        }
    }

    /// <summary>Takes the sites' row locks until the transaction ends, in one order for every writer.</summary>
    private async Task LockAsync(IEnumerable<Guid> siteIds, CancellationToken cancellationToken)
    {
        if (writeGate.TransactionsLockTheStore)
        {
            return;
        }

        foreach (var siteId in siteIds)
        {
            await db.Sites.Where(s => s.Id == siteId)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Version, s => s.Version), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The connection to the store broke during COMMIT: the change may or may not be saved, and is not run again")]
    private partial void LogCommitUnknown(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "A concurrent write took a unique key first; running the command again (attempt {Attempt} lost)")]
    private partial void LogRetrying(int attempt);

    /// <summary>The sites whose articles, terms or consent policy versions the tracker is about to change.</summary>
    private static IEnumerable<Guid> SitesChanging(ChangeTracker tracker) => tracker.Entries()
        .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
        .Select(e => e.Entity switch { Article a => a.SiteId, TaxonomyTerm t => t.SiteId, ConsentPolicy p => p.SiteId, _ => (Guid?)null })
        .OfType<Guid>().Distinct();
}
