using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>The sites that hold consent records older than <paramref name="Cutoff"/> with their personal fields.</summary>
public sealed record ListSitesWithExpiredConsent(DateTime Cutoff) : IQuery<IReadOnlyList<Guid>>;

public sealed class ListSitesWithExpiredConsentHandler(IDaxdiDbContext db) : IQueryHandler<ListSitesWithExpiredConsent, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(ListSitesWithExpiredConsent query, CancellationToken cancellationToken) =>
        await db.ConsentRecords.AsNoTracking().Where(r => r.ErasedAt == null && r.CreatedAt < query.Cutoff)
            .Select(r => r.SiteId).Distinct().ToListAsync(cancellationToken);
}

/// <summary>
/// Erases the personal fields of up to <paramref name="Max"/> of a site's records older than <paramref name="Cutoff"/>:
/// past retention the proof stays, anonymous. The site's lock is held from the first read, so two nodes running the
/// job never erase side by side; the second finds nothing left. Returns how many it erased.
/// </summary>
public sealed record EraseExpiredConsentRecords(Guid SiteId, DateTime Cutoff, int Max) : ICommand<int>, ISiteLockedCommand
{
    public IReadOnlyCollection<Guid> SitesToLock => [SiteId];
}

public sealed class EraseExpiredConsentRecordsHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<EraseExpiredConsentRecords, int>
{
    public async ValueTask<int> Handle(EraseExpiredConsentRecords command, CancellationToken cancellationToken)
    {
        var records = await db.ConsentRecords
            .Where(r => r.SiteId == command.SiteId && r.ErasedAt == null && r.CreatedAt < command.Cutoff)
            .OrderBy(r => r.Sequence).Take(command.Max).ToListAsync(cancellationToken);
        var now = clock.UtcNow();
        foreach (var record in records)
        {
            record.Erase(now);
        }

        return records.Count;
    }
}
