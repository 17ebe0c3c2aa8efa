using Daxdi.Application.Abstractions;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>One delivery of a subscription with its attempts, newest first (at most <see cref="WebhookRules.AttemptsShown"/>).</summary>
public sealed record GetWebhookDelivery(string Site, Guid Id, Guid DeliveryId) : IQuery<WebhookDeliveryDetailDto>;

public sealed class GetWebhookDeliveryHandler(IDaxdiDbContext db) : IQueryHandler<GetWebhookDelivery, WebhookDeliveryDetailDto>
{
    public async ValueTask<WebhookDeliveryDetailDto> Handle(GetWebhookDelivery query, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().GetInSiteAsync(db.Sites, query.Site, query.Id, cancellationToken);
        var delivery = await db.WebhookDeliveries.AsNoTracking().GetOfAsync(subscription.Id, query.DeliveryId, cancellationToken);
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == delivery.Id)
            .OrderByDescending(a => a.Number).Take(WebhookRules.AttemptsShown)
            .Select(a => new WebhookAttemptDto
            {
                Number = a.Number, StartedAt = a.StartedAt, DurationMs = a.DurationMs, StatusCode = a.StatusCode,
                ResponseBody = a.ResponseBody, Error = a.Error,
            })
            .ToListAsync(cancellationToken);
        return WebhookDeliveryDetailDto.From(delivery, attempts);
    }
}
