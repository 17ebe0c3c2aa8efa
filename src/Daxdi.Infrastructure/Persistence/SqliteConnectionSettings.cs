using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// Settings SQLite keeps per connection, applied once to each native connection (the pool hands the same ones out
/// again): how long a writer waits for the write lock inside SQLite, how often a commit syncs to disk, and, for the
/// connection that <see cref="SqliteWriteGate"/> commits on, a larger page cache and a memory map.
/// </summary>
/// <remarks>
/// The write connection maps the file (<c>Database:SqliteWriteMemoryMapMegabytes</c>) rather than copying each page it
/// reads with a system call: a batched ingest ran at 369 articles per second instead of 310. Readers do not: mapped
/// pages count in the process's RSS, and a 100,000-article store's reads went over the read path's 300 MB with it.
/// <para>Without a busy timeout, SQLite answers a writer that finds the write lock taken with SQLITE_BUSY at once, and
/// Microsoft.Data.Sqlite retries after <c>Thread.Sleep(150)</c>: with 8 writers, most saves slept 150 ms at least once
/// while the lock was free again after 5 (docs/performance.md, archive ingest). SQLite's own busy handler retries after
/// 1, 2, 5, 10 … ms instead. <c>synchronous=NORMAL</c> in WAL mode syncs the log at checkpoints rather than at every
/// commit: the store cannot be corrupted, but a power cut or an OS crash (not a crash of the process) may lose the
/// last commits (<c>Database:SqliteSynchronous</c>).</para>
/// </remarks>
internal sealed class SqliteConnectionSettings(int busyTimeoutSeconds, SqliteSynchronous synchronous, int writeMemoryMapMegabytes,
    SqliteConnectionStrings connections)
    : DbConnectionInterceptor
{
    /// <summary>
    /// Page cache of the write connection (KiB). The default 2 MB held too little of the full-text index: a 10,000-article
    /// store's inserts took 3.4 ms each, against 1.1 ms with 32 MB (docs/performance.md, archive ingest).
    /// </summary>
    private const int WriteCacheKib = 32 * 1024;

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
        var writes = sqlite.ConnectionString == connections.Writes
            ? string.Create(CultureInfo.InvariantCulture, $" PRAGMA cache_size = -{WriteCacheKib}; PRAGMA mmap_size = {writeMemoryMapMegabytes * 1024L * 1024};")
            : "";
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {busyTimeoutSeconds * 1000}; PRAGMA synchronous = {synchronous.ToString().ToUpperInvariant()};{writes}");
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
