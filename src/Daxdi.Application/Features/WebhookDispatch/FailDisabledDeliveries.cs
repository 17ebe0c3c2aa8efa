using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.WebhookDispatch;

/// <summary>
/// Ends failed, without an attempt, the due deliveries whose subscription is disabled: nothing is sent to a disabled
/// subscription. A delivery that comes due only after an admin enabled the subscription again is sent as usual; a
/// failed one can be redelivered.
/// </summary>
public sealed record FailDisabledDeliveries(IReadOnlyList<Guid> Ids) : ICommand;

public sealed class FailDisabledDeliveriesHandler(IDaxdiDbContext db, CommitPipeline commit, TimeProvider clock) : ICommandHandler<FailDisabledDeliveries>
{
    public ValueTask<Unit> Handle(FailDisabledDeliveries command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var ids = command.Ids;
        // Conditional, like a claim: a subscription enabled again meanwhile, or a dispatcher holding the attempt, wins.
        commit.InTransaction(ct => db.WebhookDeliveries
            .Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now)
                && !db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled))
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Status, DeliveryStatus.Failed).SetProperty(d => d.CompletedAt, now), ct));
        return ValueTask.FromResult(Unit.Value);
    }
}
