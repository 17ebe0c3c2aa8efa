using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Events;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Send a <c>webhook.ping</c> to one subscription: a test event, and a delivery of it to this subscription only. The
/// event is written as already dispatched, so the dispatcher sends the one delivery and fans it out to no one else.
/// Refused with 409 <c>webhook.disabled</c> while the subscription is disabled.
/// </summary>
public sealed record PingWebhook(string Site, Guid Id) : ICommand<WebhookDeliveryDto>;

public sealed class PingWebhookHandler(IDaxdiDbContext db, IntegrationEvents events, TimeProvider clock)
    : ICommandHandler<PingWebhook, WebhookDeliveryDto>
{
    public async ValueTask<WebhookDeliveryDto> Handle(PingWebhook command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().GetInSiteAsync(db.Sites, command.Site, command.Id, cancellationToken);
        subscription.EnsureEnabled();

        var now = clock.UtcNow();
        var ping = events.Create(subscription.SiteId, EventCatalog.WebhookPing, now, new PingEventData { WebhookId = subscription.Id });
        ping.MarkDispatched(now);
        var delivery = new WebhookDelivery(subscription.Id, subscription.SiteId, ping.Id, ping.Type, now);
        db.OutboxEvents.Add(ping);
        db.WebhookDeliveries.Add(delivery);
        return WebhookDeliveryDto.From(delivery);
    }
}
