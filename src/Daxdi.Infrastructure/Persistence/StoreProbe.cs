using System.Security.Cryptography;
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

    /// <summary>Writes a probe in a transaction that is rolled back; throws what the store answered when it refuses.</summary>
    public static async Task WriteAsync(DaxdiDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var probe = db.Set<StoreProbe>().Add(new StoreProbe());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            probe.State = EntityState.Detached;
        }
    }
}
