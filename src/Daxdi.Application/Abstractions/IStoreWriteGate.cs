using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Daxdi.Application.Abstractions;

/// <summary>
/// How the store lets writers in. SQLite takes one writer at a time; there commits queue in this process, in arrival
/// order, instead of each polling the store's write lock on its busy timeout.
/// </summary>
public interface IStoreWriteGate
{
    /// <summary>
    /// True when a transaction holds the whole store's write lock from its first statement (SQLite's
    /// <c>BEGIN IMMEDIATE</c>): no other writer commits until it ends, so row locks on sites add nothing.
    /// </summary>
    bool TransactionsLockTheStore { get; }

    /// <summary>
    /// Waits for this process's turn to write with <paramref name="database"/>, which must not be in a transaction
    /// yet; disposing the result lets the next writer in.
    /// </summary>
    ValueTask<IDisposable> EnterAsync(DatabaseFacade database, CancellationToken cancellationToken);
}
