using Daxdi.Domain.Consent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// Consent records are proof: a save that would delete one, or change one other than by erasing its personal fields
/// (<see cref="ConsentRecord.Erase"/>), fails before it reaches the store, whoever wrote it.
/// </summary>
internal sealed class ConsentRecordGuard : SaveChangesInterceptor
{
    /// <summary>What erasure changes: the personal fields, the salt of their commitment, and the erasure marker.</summary>
    private static readonly HashSet<string> Erasable =
    [
        nameof(ConsentRecord.SubjectId), nameof(ConsentRecord.ClientAddress), nameof(ConsentRecord.BrowserFamily),
        nameof(ConsentRecord.PageUrl), nameof(ConsentRecord.PersonalSalt), nameof(ConsentRecord.ErasedAt),
    ];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<ConsentRecord>())
        {
            switch (entry.State)
            {
                case EntityState.Deleted:
                    throw new InvalidOperationException($"Consent record {entry.Entity.Id} cannot be deleted: consent records are append-only proof.");
                case EntityState.Modified:
                    var changed = entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).ToList();
                    var erasing = entry.Property(r => r.ErasedAt).OriginalValue is null && entry.Entity.IsErased;
                    if (!erasing || changed.Exists(name => !Erasable.Contains(name)))
                    {
                        throw new InvalidOperationException(
                            $"Consent record {entry.Entity.Id} cannot be changed ({string.Join(", ", changed)}): only erasure of its personal fields may change it.");
                    }

                    break;
            }
        }
    }
}
