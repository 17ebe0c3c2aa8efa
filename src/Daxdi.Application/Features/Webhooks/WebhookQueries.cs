using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Common;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>Finding a site's subscriptions and deliveries, and the problems of webhook rules.</summary>
internal static class WebhookQueries
{
    /// <summary>
    /// The subscription with this id in the site with this key (404 <c>site.not_found</c> without the site); another
    /// site's is not found, as if it did not exist.
    /// </summary>
    public static async Task<WebhookSubscription> GetInSiteAsync(this IQueryable<WebhookSubscription> subscriptions, IQueryable<Site> sites,
        string site, Guid id, CancellationToken cancellationToken)
    {
        var siteId = (await sites.AsNoTracking().GetByKeyAsync(site, cancellationToken)).Id;
        return await subscriptions.FirstOrDefaultAsync(s => s.SiteId == siteId && s.Id == id, cancellationToken)
            ?? throw DomainException.NotFound("webhook.not_found", $"No webhook subscription with id '{id}' in site '{site}'.");
    }

    /// <summary>The delivery with this id of this subscription.</summary>
    public static async Task<WebhookDelivery> GetOfAsync(this IQueryable<WebhookDelivery> deliveries, Guid subscriptionId, Guid id,
        CancellationToken cancellationToken) =>
        await deliveries.FirstOrDefaultAsync(d => d.SubscriptionId == subscriptionId && d.Id == id, cancellationToken)
        ?? throw DomainException.NotFound("webhook_delivery.not_found", $"No delivery with id '{id}' for this webhook subscription.");

    /// <summary>Pings and redeliveries would wait for a subscription that sends nothing; enabling it comes first.</summary>
    public static void EnsureEnabled(this WebhookSubscription subscription)
    {
        if (!subscription.Enabled)
        {
            throw DomainException.Conflict("webhook.disabled",
                "The webhook subscription is disabled. Enable it (PUT with \"enabled\": true) before sending to it.");
        }
    }
}
