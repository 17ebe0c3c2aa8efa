using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Consent;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>
/// Appends decisions to their sites' chains, in order, in one commit (<see cref="ConsentAppender"/> gathers them):
/// the sites' locks are held from the first read of the heads, so no other writer can fork a chain.
/// </summary>
public sealed record AppendConsentRecords(IReadOnlyList<ConsentRecord> Records) : ICommand<int>, ISiteLockedCommand
{
    public IReadOnlyCollection<Guid> SitesToLock { get; } = [.. Records.Select(r => r.SiteId).Distinct()];
}

public sealed class AppendConsentRecordsHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<AppendConsentRecords, int>
{
    public async ValueTask<int> Handle(AppendConsentRecords command, CancellationToken cancellationToken)
    {
        var sites = command.SitesToLock.ToList();
        var heads = await db.ConsentChains.Where(c => sites.Contains(c.SiteId)).ToDictionaryAsync(c => c.SiteId, cancellationToken);
        var now = clock.UtcNow();
        foreach (var record in command.Records)
        {
            if (!heads.TryGetValue(record.SiteId, out var chain))
            {
                chain = new ConsentChain(record.SiteId, now);
                heads[record.SiteId] = chain;
                db.ConsentChains.Add(chain);
            }

            chain.Append(record, now);
        }

        db.ConsentRecords.AddRange(command.Records);
        return command.Records.Count;
    }
}
