using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Events;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.WebhookDispatch;

/// <summary>An outbox event that no dispatcher has fanned out yet.</summary>
public sealed record UndispatchedEvent(Guid Id, Guid SiteId, string Type, DateTime OccurredAt);

/// <summary>Up to <paramref name="Max"/> events not fanned out yet, oldest first.</summary>
public sealed record ListUndispatchedEvents(int Max) : IQuery<IReadOnlyList<UndispatchedEvent>>;

/// <summary>
/// Fans events out: one <see cref="WebhookDelivery"/> per subscription of the event's site that wants its type and
/// existed when it happened, and the event marked dispatched, in one commit. Safe with several dispatchers on one
/// store: each event is claimed with <c>UPDATE … SET DispatchedAt = @now WHERE Id = @id AND DispatchedAt IS NULL</c>
/// in the commit's transaction, and only the dispatcher whose statement changed the row writes its deliveries (the
/// unique index on event and subscription is the backstop).
/// </summary>
/// <remarks>
/// <c>webhook.ping</c> is never fanned out: a ping is for the one subscription it was asked for, and its delivery is
/// written with it.
/// </remarks>
public sealed record FanOutEvents(IReadOnlyList<UndispatchedEvent> Events) : ICommand;

public sealed class ListUndispatchedEventsHandler(IDaxdiDbContext db) : IQueryHandler<ListUndispatchedEvents, IReadOnlyList<UndispatchedEvent>>
{
    public async ValueTask<IReadOnlyList<UndispatchedEvent>> Handle(ListUndispatchedEvents query, CancellationToken cancellationToken) =>
        await db.OutboxEvents.AsNoTracking()
            .Where(e => e.DispatchedAt == null)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(query.Max)
            .Select(e => new UndispatchedEvent(e.Id, e.SiteId, e.Type, e.OccurredAt))
            .ToListAsync(cancellationToken);
}

public sealed class FanOutEventsHandler(IDaxdiDbContext db, CommitPipeline commit, TimeProvider clock) : ICommandHandler<FanOutEvents>
{
    public async ValueTask<Unit> Handle(FanOutEvents command, CancellationToken cancellationToken)
    {
        var siteIds = command.Events.Select(e => e.SiteId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking()
            .Where(s => siteIds.Contains(s.SiteId) && s.Enabled)
            .ToListAsync(cancellationToken);
        var now = clock.UtcNow();
        // In the order listed, which every dispatcher shares: two of them claiming the same events on PostgreSQL or
        // SQL Server wait on each other's row locks in one order and never deadlock.
        commit.InTransaction(async ct =>
        {
            foreach (var e in command.Events)
            {
                var claimed = await db.OutboxEvents.Where(o => o.Id == e.Id && o.DispatchedAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(o => o.DispatchedAt, now), ct);
                if (claimed == 0 || e.Type == EventCatalog.WebhookPing)
                {
                    continue;
                }

                db.WebhookDeliveries.AddRange(subscriptions
                    .Where(s => s.SiteId == e.SiteId && s.Wants(e.Type) && s.CreatedAt <= e.OccurredAt)
                    .Select(s => new WebhookDelivery(s.Id, s.SiteId, e.Id, e.Type, now)));
            }
        });
        return Unit.Value;
    }
}
