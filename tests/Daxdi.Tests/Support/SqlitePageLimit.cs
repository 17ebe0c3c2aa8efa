using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Daxdi.Tests.Support;

/// <summary>
/// A real full store on SQLite: <c>PRAGMA max_page_count</c> makes the database refuse to grow past a size with
/// SQLITE_FULL, as a full disk does. The pragma is per connection, so this sets it on every connection the host opens
/// (register it as an <c>IInterceptor</c> through <see cref="ApiFactory.TestServices"/>).
/// </summary>
public sealed class SqlitePageLimit : DbConnectionInterceptor
{
    /// <summary>Pooled connections keep the pragma, so lifting the limit sets the largest size again.</summary>
    private const long NoLimit = int.MaxValue;

    /// <summary>Pages the database may hold; null for no limit. Applies to connections opened from now on.</summary>
    public long? MaxPages { get; set; }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>The database's size in pages now, read on a connection of its own.</summary>
    public static long PageCount(string connectionString)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        return (long)command.ExecuteScalar()!;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {MaxPages ?? NoLimit}");
        command.ExecuteNonQuery();
    }
}
