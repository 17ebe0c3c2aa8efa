using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// Settings SQLite keeps per connection, applied once to each native connection (the pool hands the same ones out
/// again): how long a writer waits for the write lock inside SQLite, and how often a commit syncs to disk.
/// </summary>
/// <remarks>
/// Without a busy timeout, SQLite answers a writer that finds the write lock taken with SQLITE_BUSY at once, and
/// Microsoft.Data.Sqlite retries after <c>Thread.Sleep(150)</c>: with 8 writers, most saves slept 150 ms at least once
/// while the lock was free again after 5 (docs/performance.md, archive ingest). SQLite's own busy handler retries after
/// 1, 2, 5, 10 … ms instead. <c>synchronous=NORMAL</c> in WAL mode syncs the log at checkpoints rather than at every
/// commit: the store cannot be corrupted, but a power cut or an OS crash (not a crash of the process) may lose the
/// last commits (<c>Database:SqliteSynchronous</c>).
/// </remarks>
internal sealed class SqliteConnectionSettings(int busyTimeoutSeconds, SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<sqlite3, object> _applied = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || _applied.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {busyTimeoutSeconds * 1000}; PRAGMA synchronous = {synchronous.ToString().ToUpperInvariant()};");
        command.ExecuteNonQuery();
        _applied.AddOrUpdate(handle, this);
    }
}

/// <summary>SQLite's <c>synchronous</c> setting for the store's connections (<c>Database:SqliteSynchronous</c>).</summary>
public enum SqliteSynchronous
{
    /// <summary>Sync the write-ahead log at checkpoints: a power cut may lose the last commits, never the store.</summary>
    Normal,

    /// <summary>Sync the write-ahead log at every commit: nothing committed is lost, at the cost of a sync per save.</summary>
    Full,
}
