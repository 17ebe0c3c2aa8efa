using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Common;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Send a delivery that succeeded or failed once more: it becomes pending for an attempt now, with the same event id
/// (<c>webhook-id</c>), so a receiver that deduplicates sees the same event. A pending delivery is already on its way
/// (409 <c>webhook_delivery.pending</c>: a dispatcher may be sending it this moment); a disabled subscription is sent
/// nothing (409 <c>webhook.disabled</c>).
/// </summary>
public sealed record RedeliverWebhookDelivery(string Site, Guid Id, Guid DeliveryId) : ICommand<WebhookDeliveryDto>;

public sealed class RedeliverWebhookDeliveryHandler(IDaxdiDbContext db, TimeProvider clock)
    : ICommandHandler<RedeliverWebhookDelivery, WebhookDeliveryDto>
{
    public async ValueTask<WebhookDeliveryDto> Handle(RedeliverWebhookDelivery command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().GetInSiteAsync(db.Sites, command.Site, command.Id, cancellationToken);
        var delivery = await db.WebhookDeliveries.GetOfAsync(subscription.Id, command.DeliveryId, cancellationToken);
        subscription.EnsureEnabled();
        if (delivery.Status == DeliveryStatus.Pending)
        {
            throw DomainException.Conflict("webhook_delivery.pending",
                "The delivery is pending: its next attempt is due at nextAttemptAt. Redeliver it once it has succeeded or failed.");
        }

        delivery.Redeliver(clock.UtcNow());
        return WebhookDeliveryDto.From(delivery);
    }
}
