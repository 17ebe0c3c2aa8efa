using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Infrastructure.Leases;

/// <summary>
/// One row of <c>Leases</c>: who holds the lease called <see cref="Name"/> until when. A lease lets one process of
/// many do a job (the chain monitor) while every node may run the code; it is held by renewing it before it runs out.
/// </summary>
public sealed class StoreLease
{
    public const int NameMaxLength = 100;
    public const int HolderMaxLength = 200;

    private StoreLease()
    {
    }

    public string Name { get; private set; } = null!;

    /// <summary>Who took it last (<see cref="StoreLeases.NewHolder"/>); kept after it runs out, for the operator.</summary>
    public string Holder { get; private set; } = null!;

    /// <summary>Until when <see cref="Holder"/> holds it; from then on anyone may take it.</summary>
    public DateTime ExpiresAt { get; private set; }
}

/// <summary>
/// Takes, renews and gives back leases in the store, each with one conditional statement, so two processes can never
/// both be told they hold one (the store serialises the two updates of the row; the second finds it taken). Writes
/// take their turn with the process's other writers (<see cref="IStoreWriteGate"/>).
/// </summary>
/// <remarks>
/// <para>
/// Time is the callers' <see cref="TimeProvider"/>: the nodes' clocks must agree to well within a lease's duration
/// (NTP keeps them within milliseconds). A holder that stalls past its lease (a long GC pause, a frozen VM) may still
/// finish what it was doing after another took over; a lease narrows overlap to that, it does not exclude it, so
/// the work it guards must itself be safe to run twice (the chain monitor's commands are: site lock, versions, unique
/// indexes).
/// </para>
/// <para>
/// The row of a new name is created by the first taker. Creating it must not fail when two nodes start together, so it
/// is an insert that does nothing when the row exists: <c>ON CONFLICT DO NOTHING</c> on SQLite and PostgreSQL, a
/// key-range-locked <c>NOT EXISTS</c> on SQL Server (which has no such clause).
/// </para>
/// </remarks>
public sealed class StoreLeases(IServiceScopeFactory scopes, IStoreWriteGate writeGate, TimeProvider clock)
{
    /// <summary>A holder name unique to this caller: the machine, the process, and a random part (two hosts may share a process).</summary>
    public static string NewHolder(string owner)
    {
        var holder = $"{owner}@{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return holder.Length <= StoreLease.HolderMaxLength ? holder : holder[^StoreLease.HolderMaxLength..];
    }

    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="holder"/> until now + <paramref name="duration"/>,
    /// or renews it if <paramref name="holder"/> holds it. Returns until when it is held, or null when another holder's
    /// lease has not run out.
    /// </summary>
    public async Task<DateTime?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        Check(name, holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = clock.UtcNow();
        var until = now + duration;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        using var turn = await writeGate.EnterAsync(db.Database, cancellationToken);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            var taken = await db.Set<StoreLease>()
                .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt <= now))
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), ct);
            if (taken == 0)
            {
                taken = db.Database.IsSqlServer()
                    ? await db.Database.ExecuteSqlAsync(
                        $"""
                        INSERT INTO [Leases] ([Name], [Holder], [ExpiresAt]) SELECT {name}, {holder}, {until}
                        WHERE NOT EXISTS (SELECT 1 FROM [Leases] WITH (UPDLOCK, HOLDLOCK) WHERE [Name] = {name})
                        """, ct)
                    : await db.Database.ExecuteSqlAsync(
                        $"""INSERT INTO "Leases" ("Name", "Holder", "ExpiresAt") VALUES ({name}, {holder}, {until}) ON CONFLICT ("Name") DO NOTHING""", ct);
            }

            return taken == 1 ? until : (DateTime?)null;
        }, cancellationToken);
    }

    /// <summary>Gives the lease back if <paramref name="holder"/> holds it, so another node may take it at once.</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        Check(name, holder);
        var now = clock.UtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        using var turn = await writeGate.EnterAsync(db.Database, cancellationToken);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(ct => db.Set<StoreLease>()
            .Where(l => l.Name == name && l.Holder == holder && l.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, now), ct), cancellationToken);
    }

    /// <summary>Who holds <paramref name="name"/> now, if anyone (for tests and diagnostics).</summary>
    public async Task<string?> HolderAsync(string name, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        return await db.Set<StoreLease>().AsNoTracking().Where(l => l.Name == name && l.ExpiresAt > now)
            .Select(l => l.Holder).FirstOrDefaultAsync(cancellationToken);
    }

    private static void Check(string name, string holder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, StoreLease.NameMaxLength, nameof(name));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(holder.Length, StoreLease.HolderMaxLength, nameof(holder));
    }
}
