using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.WebhookDispatch;

/// <summary>Deliveries whose attempt is due and that no dispatcher holds, split by whether their subscription is enabled.</summary>
public sealed record DueDeliveries(IReadOnlyList<Guid> ToSend, IReadOnlyList<Guid> OfDisabledSubscriptions)
{
    public int Count => ToSend.Count + OfDisabledSubscriptions.Count;
}

/// <summary>Up to <paramref name="Max"/> deliveries due now, the longest-waiting first.</summary>
public sealed record ListDueDeliveries(int Max) : IQuery<DueDeliveries>;

/// <summary>The attempts this dispatcher won, held until <paramref name="Until"/>.</summary>
/// <param name="Ids">Filled by the claim statements in the command's commit, so complete once the command returns.</param>
public sealed record ClaimedDeliveries(DateTime Until, IReadOnlyList<Guid> Ids);

/// <summary>
/// Claims the next attempt of each delivery for <paramref name="Lease"/>:
/// <c>UPDATE WebhookDeliveries SET ClaimedUntil = @now + lease WHERE Id = @id AND Status = 'Pending' AND
/// NextAttemptAt &lt;= @now AND (ClaimedUntil IS NULL OR ClaimedUntil &lt; @now)</c>. Exactly one dispatcher's statement
/// changes the row; a claim whose dispatcher died expires and the attempt is claimed again. The statements of one call
/// commit together, in one short transaction before anything is sent, so a batch costs one commit, not one per attempt.
/// </summary>
public sealed record ClaimDeliveries(IReadOnlyList<Guid> Ids, TimeSpan Lease) : ICommand<ClaimedDeliveries>;

/// <summary>What a dispatcher needs to send one claimed attempt.</summary>
/// <param name="Secrets">The subscription's signing secrets at this moment: current, then previous during a rotation's overlap.</param>
/// <param name="Body">The event's body exactly as stored; every attempt sends these bytes.</param>
public sealed record DeliveryRequest(
    Guid DeliveryId, Guid EventId, Uri Url, IReadOnlyList<string> Secrets, byte[] Body, DateTime ClaimedUntil);

/// <summary>The requests for the attempts just claimed.</summary>
public sealed record GetDeliveryRequests(ClaimedDeliveries Claim) : IQuery<IReadOnlyList<DeliveryRequest>>;

public sealed class ListDueDeliveriesHandler(IDaxdiDbContext db, TimeProvider clock) : IQueryHandler<ListDueDeliveries, DueDeliveries>
{
    public async ValueTask<DueDeliveries> Handle(ListDueDeliveries query, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var due = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Take(query.Max)
            .Select(d => new { d.Id, Enabled = db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled) })
            .ToListAsync(cancellationToken);
        return new DueDeliveries([.. due.Where(d => d.Enabled).Select(d => d.Id)], [.. due.Where(d => !d.Enabled).Select(d => d.Id)]);
    }
}

public sealed class ClaimDeliveriesHandler(IDaxdiDbContext db, CommitPipeline commit, TimeProvider clock)
    : ICommandHandler<ClaimDeliveries, ClaimedDeliveries>
{
    public ValueTask<ClaimedDeliveries> Handle(ClaimDeliveries command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var until = Clock.Normalize(now + command.Lease);
        var won = new List<Guid>();
        // In the order listed (due time, then id, as every dispatcher lists them), so racing claims never deadlock.
        commit.InTransaction(async ct =>
        {
            foreach (var id in command.Ids)
            {
                if (await db.WebhookDeliveries
                    .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now
                        && (d.ClaimedUntil == null || d.ClaimedUntil < now))
                    .ExecuteUpdateAsync(set => set.SetProperty(d => d.ClaimedUntil, until), ct) == 1)
                {
                    won.Add(id);
                }
            }
        });
        return ValueTask.FromResult(new ClaimedDeliveries(until, won));
    }
}

public sealed class GetDeliveryRequestsHandler(IDaxdiDbContext db, TimeProvider clock) : IQueryHandler<GetDeliveryRequests, IReadOnlyList<DeliveryRequest>>
{
    public async ValueTask<IReadOnlyList<DeliveryRequest>> Handle(GetDeliveryRequests query, CancellationToken cancellationToken)
    {
        var ids = query.Claim.Ids;
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id))
            .Select(d => new { d.Id, d.EventId, d.SubscriptionId })
            .ToListAsync(cancellationToken);
        var subscriptionIds = deliveries.Select(d => d.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        var eventIds = deliveries.Select(d => d.EventId).Distinct().ToList();
        var bodies = await db.OutboxEvents.AsNoTracking().Where(e => eventIds.Contains(e.Id))
            .Select(e => new { e.Id, e.Body })
            .ToDictionaryAsync(e => e.Id, e => e.Body, cancellationToken);
        var now = clock.UtcNow();
        return
        [
            .. deliveries
                // A subscription deleted since the claim takes its deliveries with it.
                .Where(d => subscriptions.ContainsKey(d.SubscriptionId) && bodies.ContainsKey(d.EventId))
                .Select(d =>
                {
                    var subscription = subscriptions[d.SubscriptionId];
                    return new DeliveryRequest(d.Id, d.EventId, new Uri(subscription.Url), subscription.SigningSecrets(now),
                        bodies[d.EventId], query.Claim.Until);
                }),
        ];
    }
}
