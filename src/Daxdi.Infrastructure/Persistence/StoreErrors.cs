using Daxdi.Application.Abstractions;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>Recognises provider-specific store errors that are the client's concern, not a server fault.</summary>
public static class StoreErrors
{
    /// <summary>A unique index refused the write: two requests raced to create the same key.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException e => e.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        SqlException e => e.Number is 2601 or 2627,
        _ => false,
    };
}

/// <summary><see cref="StoreErrors"/> as the port use cases see.</summary>
internal sealed class ProviderStoreErrors : IStoreErrors
{
    public bool IsUniqueViolation(Exception exception) => exception is DbUpdateException e && StoreErrors.IsUniqueViolation(e);
}
