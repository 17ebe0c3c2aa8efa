using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.WebhookDispatch;

/// <summary>
/// One bounded batch of pruning: up to <paramref name="Max"/> deliveries that succeeded or failed before
/// <paramref name="Before"/>, with their attempts, and up to <paramref name="Max"/> events dispatched before it that no
/// delivery refers to any more (a pending or failed delivery keeps its event, so it can still be sent or redelivered).
/// Returns the larger of the two counts it found, so the caller goes on while a batch was full.
/// </summary>
public sealed record PruneWebhookHistory(DateTime Before, int Max) : ICommand<int>;

public sealed class PruneWebhookHistoryHandler(IDaxdiDbContext db, CommitPipeline commit) : ICommandHandler<PruneWebhookHistory, int>
{
    public async ValueTask<int> Handle(PruneWebhookHistory command, CancellationToken cancellationToken)
    {
        var before = command.Before;
        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.CompletedAt < before)
            .OrderBy(d => d.CompletedAt).Select(d => d.Id).Take(command.Max)
            .ToListAsync(cancellationToken);
        // Events whose every delivery is complete and old enough; those whose deliveries are not all in this batch go
        // in a later one.
        var events = await db.OutboxEvents.AsNoTracking()
            .Where(e => e.DispatchedAt < before && !db.WebhookDeliveries.Any(d => d.EventId == e.Id && !(d.CompletedAt < before)))
            .OrderBy(e => e.DispatchedAt).Select(e => e.Id).Take(command.Max)
            .ToListAsync(cancellationToken);
        if (deliveries.Count == 0 && events.Count == 0)
        {
            return 0;
        }

        commit.InTransaction(async ct =>
        {
            await db.WebhookAttempts.Where(a => deliveries.Contains(a.DeliveryId)).ExecuteDeleteAsync(ct);
            await db.WebhookDeliveries.Where(d => deliveries.Contains(d.Id)).ExecuteDeleteAsync(ct);
            await db.OutboxEvents.Where(e => events.Contains(e.Id) && !db.WebhookDeliveries.Any(d => d.EventId == e.Id)).ExecuteDeleteAsync(ct);
        });
        return Math.Max(deliveries.Count, events.Count);
    }
}
