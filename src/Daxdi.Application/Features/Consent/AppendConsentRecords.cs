using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Consent;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>
/// Appends decisions to their sites' chains, in order, in one commit (a <see cref="GroupCommit{TItem,TResult}"/> gathers them):
/// the sites' locks are held from the first read of the heads, so no other writer can fork a chain.
/// </summary>
public sealed record AppendConsentRecords(IReadOnlyList<ConsentRecord> Records) : ICommand<IReadOnlyList<GroupOutcome<Unit>>>, ISiteLockedCommand
{
    public IReadOnlyCollection<Guid> SitesToLock { get; } = [.. Records.Select(r => r.SiteId).Distinct()];
}

public sealed class AppendConsentRecordsHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<AppendConsentRecords, IReadOnlyList<GroupOutcome<Unit>>>
{
    public async ValueTask<IReadOnlyList<GroupOutcome<Unit>>> Handle(AppendConsentRecords command, CancellationToken cancellationToken)
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
        return [.. command.Records.Select(_ => GroupOutcome.Of(Unit.Value))];
    }
}
