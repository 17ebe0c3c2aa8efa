using Daxdi.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Daxdi.Tests.Unit;

/// <summary>
/// The provider codes behind <c>store.full</c> and a read-only store, for the errors the tests cannot provoke for real
/// (a full PostgreSQL disk); SQLite's are provoked over HTTP in StoreFullTests and StoreStartupTests.
/// </summary>
public sealed class StoreErrorsTests
{
    public static TheoryData<Exception, bool, bool> Errors => new()
    {
        { new SqliteException("database or disk is full", 13), true, false },
        { new SqliteException("attempt to write a readonly database", 8), false, true },
        { new SqliteException("UNIQUE constraint failed", 19, 2067), false, false },
        { new PostgresException("could not extend file: No space left on device", "ERROR", "ERROR", PostgresErrorCodes.DiskFull), true, false },
        { new PostgresException("cannot execute INSERT in a read-only transaction", "ERROR", "ERROR", PostgresErrorCodes.ReadOnlySqlTransaction), false, true },
        { new PostgresException("out of memory", "ERROR", "ERROR", PostgresErrorCodes.OutOfMemory), false, false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Full_and_read_only_stores_are_recognised_however_deep_the_store_error_is_wrapped(Exception error, bool full, bool readOnly)
    {
        foreach (var thrown in new[] { error, new DbUpdateException("saving failed", error), new InvalidOperationException("outer", new DbUpdateException("saving failed", error)) })
        {
            Assert.Equal(full, StoreErrors.IsFull(thrown));
            Assert.Equal(readOnly, StoreErrors.IsReadOnly(thrown));
        }
    }

    [Fact]
    public void The_reason_is_the_store_error_on_one_line()
    {
        var error = new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.",
            new PostgresException("could not extend file \"base/1/2\"", "ERROR", "ERROR", PostgresErrorCodes.DiskFull, detail: "line one\nline two"));

        Assert.Equal("53100: could not extend file \"base/1/2\"", StoreErrors.Reason(error));
    }
}
