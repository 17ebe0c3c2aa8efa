using System.Data.Common;
using Daxdi.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Daxdi.Infrastructure.Startup;

/// <summary>
/// The store cannot be opened or written at start-up. The host prints the message as one line and exits with 1; it
/// names the store by file, or by server and database, never by its connection string (which may hold a password).
/// </summary>
public sealed class StoreStartupException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>Whether <paramref name="exception"/> is the store refusing, rather than a fault of the code.</summary>
    public static bool IsStoreFailure(Exception exception) => exception is DbException or DbUpdateException;

    public static StoreStartupException For(Exception exception, DatabaseProvider provider, string? connectionString)
    {
        var store = $"the {provider} store {Name(provider, connectionString)}";
        var reason = StoreErrors.Reason(exception);
        var message = StoreErrors.IsReadOnly(exception)
            ? $"{store} is read-only ({reason}). Daxdi writes at start-up and on every change: make the store writable for its user."
            : StoreErrors.IsFull(exception)
                ? $"{store} is full ({reason}). Free space on its disk, or raise its size limit."
                : $"{store} cannot be opened or written ({reason}).";
        return new StoreStartupException(message, exception);
    }

    /// <summary>A SQLite file's folder that cannot be created.</summary>
    public static StoreStartupException FolderNotCreated(string folder, Exception exception) =>
        new($"the folder of the Sqlite store, {folder}, cannot be created ({exception.Message.ReplaceLineEndings(" ")}).", exception);

    private static string Name(DatabaseProvider provider, string? connectionString)
    {
        try
        {
            return provider switch
            {
                DatabaseProvider.Sqlite => Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource),
                DatabaseProvider.PostgreSql when new NpgsqlConnectionStringBuilder(connectionString) is var b =>
                    $"(database {b.Database} on {b.Host}:{b.Port})",
                _ when new SqlConnectionStringBuilder(connectionString) is var b => $"(database {b.InitialCatalog} on {b.DataSource})",
                _ => "",
            };
        }
        catch (ArgumentException)
        {
            return "(as configured in ConnectionStrings:Daxdi)";
        }
    }
}
