using Daxdi.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// SQLite's single writer, queued in process, on a connection of its own.
/// </summary>
/// <remarks>
/// SQLite's busy handler sleeps 1, 2, 5 … 100 ms between tries, so a writer often slept on a lock that had been free
/// for a while: with 8 writers the machine sat 23 % idle during an archive ingest (docs/performance.md). Waiting here
/// wakes the next writer as soon as the last one commits. Other processes on the same file still meet SQLite's lock.
/// Each connection drops its page cache when it sees that another one wrote, so commits that went through whichever
/// pooled connection came next always started cold, and rereading the full-text index's recent pages took 3.3 ms of
/// a 10,000-article store's 3.4 ms per inserted article. Commits therefore switch to a second connection string, a pool
/// that only this gate uses: one connection, whose cache stays warm from one commit to the next.
/// </remarks>
internal sealed class SqliteWriteGate(SqliteConnectionStrings connections) : IStoreWriteGate, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly SqliteConnectionStrings _connections = connections;

    public bool TransactionsLockTheStore => true;

    public async ValueTask<IDisposable> EnterAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        var switched = !IsOpen(database);
        if (switched)
        {
            database.SetConnectionString(_connections.Writes);
        }

        return new Turn(this, database, switched);
    }

    public void Dispose() => _turn.Dispose();

    private static bool IsOpen(DatabaseFacade database) => database.GetDbConnection().State != System.Data.ConnectionState.Closed;

    private sealed class Turn(SqliteWriteGate gate, DatabaseFacade database, bool switched) : IDisposable
    {
        private SqliteWriteGate? _gate = gate;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _gate, null) is not { } gate)
            {
                return;
            }

            // Still open only if the caller opened it itself; then it stays on the write pool, which is only slower.
            if (switched && !IsOpen(database))
            {
                database.SetConnectionString(gate._connections.Reads);
            }

            gate._turn.Release();
        }
    }
}

/// <summary>The store's connection string for reads, and the one whose pool serves only <see cref="SqliteWriteGate"/>.</summary>
internal sealed record SqliteConnectionStrings(string Reads, string Writes)
{
    /// <summary>
    /// Microsoft.Data.Sqlite pools connections by the text of their connection string, so a trailing separator is
    /// enough for a second pool of the same file and settings.
    /// </summary>
    public static SqliteConnectionStrings For(string connectionString)
    {
        var reads = connectionString.TrimEnd(';', ' ');
        return new SqliteConnectionStrings(reads, reads + ";");
    }
}

/// <summary>Stores with row locks and concurrent writers (PostgreSQL, SQL Server): every writer goes in at once.</summary>
internal sealed class ConcurrentWriteGate : IStoreWriteGate
{
    private static readonly IDisposable Open = new NoTurn();

    public bool TransactionsLockTheStore => false;

    public ValueTask<IDisposable> EnterAsync(DatabaseFacade database, CancellationToken cancellationToken) => ValueTask.FromResult(Open);

    private sealed class NoTurn : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
