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
}
