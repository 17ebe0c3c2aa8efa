using System.ComponentModel.DataAnnotations;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>The supported stores (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up. Turn off where deployments migrate separately.</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;

    /// <summary>SQLite only: whether every commit syncs the write-ahead log to disk (see <see cref="Persistence.SqliteSynchronous"/>).</summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>
    /// SQLite only: how much of the store file the write connection maps into memory (0: none). Mapped pages the
    /// process touched count in its RSS up to this size; they are the kernel's page cache, which it takes back under
    /// memory pressure (docs/performance.md, soak).
    /// </summary>
    [Range(0, 4096)]
    public int SqliteWriteMemoryMapMegabytes { get; set; } = 256;
}
