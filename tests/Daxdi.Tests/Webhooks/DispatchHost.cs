using Daxdi.Application.Common;
using Daxdi.Application.Events;
using Daxdi.Domain.Webhooks;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Webhooks;

/// <summary>
/// API hosts with the dispatcher for webhook tests, and the arranging a test does in the store directly (subscriptions
/// are the admin API's, which is not part of these tests).
/// </summary>
internal static class DispatchHost
{
    public static readonly string[] ArticleEvents =
    [
        EventCatalog.ArticlePublished, EventCatalog.ArticleUpdated, EventCatalog.ArticleUnpublished, EventCatalog.ArticleArchived,
        EventCatalog.ArticleDeleted,
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A host whose dispatcher may reach 127.0.0.1 (the receiver), on <paramref name="clock"/> when given.</summary>
    public static ApiFactory Create(TestStore store, TimeProvider? clock = null, bool allowLoopback = true, bool ownsStore = true,
        Action<IServiceCollection>? services = null, params (string Key, string Value)[] settings) =>
        new(store, allowLoopback ? [("Webhooks:AllowedPrivateNetworks:0", "127.0.0.0/8"), .. settings] : settings)
        {
            OwnsStore = ownsStore,
            TestServices = s =>
            {
                if (clock is not null)
                {
                    s.AddSingleton(clock);
                }

                services?.Invoke(s);
            },
        };

    /// <summary>Adds a subscription of the site to <paramref name="url"/>, created now on the host's clock.</summary>
    public static async Task<WebhookSubscription> SubscribeAsync(ApiFactory api, string site, string url, string secret, params string[] types)
    {
        var now = api.Services.GetRequiredService<TimeProvider>().UtcNow();
        return await WithStoreAsync(api, async db =>
        {
            var siteId = await db.Sites.Where(s => s.Key == site).Select(s => s.Id).SingleAsync(Ct);
            var subscription = new WebhookSubscription(siteId, url, types.Length == 0 ? ArticleEvents : types, null, secret, now);
            db.WebhookSubscriptions.Add(subscription);
            await db.SaveChangesAsync(Ct);
            return subscription;
        });
    }

    public static async Task<T> WithStoreAsync<T>(ApiFactory api, Func<DaxdiDbContext, Task<T>> work)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DaxdiDbContext>());
    }

    public static Task<List<WebhookAttempt>> AttemptsAsync(ApiFactory api, Guid subscriptionId) =>
        WithStoreAsync(api, db => db.WebhookAttempts.AsNoTracking().Where(a => a.SubscriptionId == subscriptionId)
            .OrderBy(a => a.StartedAt).ThenBy(a => a.Number).ToListAsync(Ct));

    public static Task<List<WebhookDelivery>> DeliveriesAsync(ApiFactory api, Guid subscriptionId) =>
        WithStoreAsync(api, db => db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(Ct));

    public static Task<WebhookSubscription> SubscriptionAsync(ApiFactory api, Guid id) =>
        WithStoreAsync(api, db => db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == id, Ct));

    /// <summary>The attempts of the subscription once there are <paramref name="count"/> (recorded, not just sent).</summary>
    public static async Task<List<WebhookAttempt>> WaitForAttemptsAsync(ApiFactory api, Guid subscriptionId, int count, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var attempts = await AttemptsAsync(api, subscriptionId);
            if (attempts.Count >= count)
            {
                return attempts;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{attempts.Count} of {count} attempts were recorded within {seconds} s.");
            await Task.Delay(20, Ct);
        }
    }
}
