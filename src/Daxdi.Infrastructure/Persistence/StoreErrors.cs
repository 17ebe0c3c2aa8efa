using Daxdi.Application.Abstractions;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>Recognises provider-specific store errors that are not a fault of the server's code.</summary>
public static class StoreErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqlServerTimeout = -2;

    /// <summary>A unique index refused the write: two requests raced to create the same key.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException e => e.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        SqlException e => e.Number is 2601 or 2627,
        _ => false,
    };

    /// <summary>
    /// The store has no room for the write: the disk, or a size limit of the database (SQLite's
    /// <c>max_page_count</c>; SQL Server's file or log size: 1101, 1105, 9002).
    /// </summary>
    public static bool IsFull(Exception exception) => Causes(exception).Any(e => e switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteFull,
        PostgresException p => p.SqlState == PostgresErrorCodes.DiskFull,
        SqlException s => s.Number is 1101 or 1105 or 9002,
        _ => false,
    });

    /// <summary>
    /// The store cannot be reached or is not serving now, and nothing of the request was committed: the server is down,
    /// starting, shutting down or out of connections, the connection broke, or EF Core's retries ran out on such an
    /// error. SQLite: the file is locked past the busy timeout, or cannot be opened or read.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => Causes(exception).Any(e => e switch
    {
        Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException => true,
        SqliteException s => s.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteIoError or SqliteCantOpen,
        SqlException s => s.IsTransient || s.Number is SqlServerTimeout or 53 or 233 or 4060 or 10053 or 10054 or 10060 or 40613,
        System.Data.Common.DbException d => d.IsTransient,
        _ => false,
    });

    /// <summary>
    /// A COMMIT that failed this way may have been made durable all the same: the connection to the server broke (or
    /// the server was shutting down) before its answer came. A server's definite answer (a serialization failure, a
    /// constraint checked at commit) means rolled back; so does any SQLite error.
    /// </summary>
    public static bool LeavesCommitUnknown(Exception exception) => Causes(exception).FirstOrDefault(e => e is System.Data.Common.DbException) switch
    {
        SqliteException => false,
        PostgresException p => p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        System.Data.Common.DbException store => IsUnavailable(store),
        _ => Causes(exception).Any(e => e is IOException or System.Net.Sockets.SocketException or TimeoutException),
    };

    /// <summary>
    /// The store may be read but not written: a read-only or immutable SQLite file (or <c>Mode=ReadOnly</c>), a
    /// read-only PostgreSQL transaction (a standby, <c>default_transaction_read_only</c>), a read-only SQL Server database.
    /// </summary>
    public static bool IsReadOnly(Exception exception) => Causes(exception).Any(e => e switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteReadOnly,
        PostgresException p => p.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction,
        SqlException s => s.Number == 3906,
        _ => false,
    });

    /// <summary>
    /// The store's own words for the failure, on one line: the innermost provider error, without PostgreSQL's detail
    /// (which may quote row values).
    /// </summary>
    public static string Reason(Exception exception)
    {
        var store = Causes(exception).LastOrDefault(e => e is System.Data.Common.DbException) ?? exception;
        var message = store is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : store.Message;
        return message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}

/// <summary><see cref="StoreErrors"/> as the port use cases see.</summary>
internal sealed class ProviderStoreErrors : IStoreErrors
{
    public bool IsUniqueViolation(Exception exception) => exception is DbUpdateException e && StoreErrors.IsUniqueViolation(e);

    public bool LeavesCommitUnknown(Exception exception) => StoreErrors.LeavesCommitUnknown(exception);
}
