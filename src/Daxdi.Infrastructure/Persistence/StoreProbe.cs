using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// A row written and rolled back to learn whether the store takes writes: at start-up, and for readiness while writes
/// fail for lack of space (<see cref="StoreWriteHealth"/>). It is never committed, so its table stays empty.
/// </summary>
public sealed class StoreProbe
{
    /// <summary>
    /// Larger than a page (4 KiB on SQLite, 8 KiB on PostgreSQL) and random, so no store can compress it away: a store
    /// with no room to grow refuses it as it refuses an article save.
    /// </summary>
    public const int PayloadBytes = 64 * 1024;

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public byte[] Payload { get; private set; } = RandomNumberGenerator.GetBytes(PayloadBytes);

    /// <summary>
    /// Room a SQLite file's file system must have: an article save writes its pages twice (to the WAL, then into the
    /// database at the checkpoint), with index and revision pages besides; this is room for a few such saves.
    /// </summary>
    public const long SqliteMinimumFreeBytes = 16 * PayloadBytes;

    /// <summary>Writes a probe in a transaction that is rolled back; throws what the store answered when it refuses.</summary>
    /// <remarks>Inside the execution strategy, which refuses transactions begun outside it on the retrying stores.</remarks>
    public static async Task WriteAsync(DaxdiDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var probe = db.Set<StoreProbe>().Add(new StoreProbe());
            try
            {
                await db.SaveChangesAsync(ct);
            }
            finally
            {
                probe.State = EntityState.Detached;
            }
        }, cancellationToken);

        EnsureSqliteFileSystemHasRoom(db);
    }

    /// <summary>
    /// SQLite writes a transaction's pages to the file only when it commits (measured: on a full file system the
    /// rolled-back probe succeeded, from the page cache). A size limit shows in the probe; a full disk shows here.
    /// </summary>
    private static void EnsureSqliteFileSystemHasRoom(DaxdiDbContext db)
    {
        if (!db.Database.IsSqlite())
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!;
        var free = new DriveInfo(folder).AvailableFreeSpace;
        if (free < SqliteMinimumFreeBytes)
        {
            // What SQLite itself answers once the commit reaches the disk (SQLITE_FULL), so every reader of errors agrees.
            throw new SqliteException(
                $"SQLite Error 13: the file system of {folder} has {free} bytes free, less than {SqliteMinimumFreeBytes}.", 13);
        }
    }
}
