using Daxdi.Application.Common;
using Daxdi.Domain.Events;
using Daxdi.Domain.Webhooks;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Webhooks;

/// <summary>The delivery history stays bounded: what completed longer ago than the retention goes, in batches; what may still be sent stays.</summary>
public sealed class DispatchPruningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pruning_removes_completed_deliveries_and_events_older_than_the_retention_and_keeps_the_rest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = DispatchHost.Create(TestStore.Sqlite(), clock, settings: ("Webhooks:RetentionDays", "30"));
        var room = await Newsroom.CreateAsync(api);
        var now = clock.UtcNow();
        var old = now.AddDays(-40);
        var kept = new HashSet<Guid>();
        var subscriptionId = await DispatchHost.WithStoreAsync(api, async db =>
        {
            var siteId = await db.Sites.Where(s => s.Key == room.Site).Select(s => s.Id).SingleAsync(Ct);
            var subscription = new WebhookSubscription(siteId, "https://hooks.example/in", DispatchHost.ArticleEvents, null, WebhookReceiver.NewSecret(), now.AddDays(-60));
            db.WebhookSubscriptions.Add(subscription);
            OutboxEvent Event(DateTime at)
            {
                var e = new OutboxEvent(siteId, "article.published", "{}"u8.ToArray(), at);
                db.OutboxEvents.Add(e);
                return e;
            }

            WebhookDelivery Delivery(OutboxEvent e)
            {
                var d = new WebhookDelivery(subscription.Id, siteId, e.Id, e.Type, e.OccurredAt);
                db.WebhookDeliveries.Add(d);
                return d;
            }

            void Attempt(WebhookDelivery d, DateTime at, int status) => db.WebhookAttempts.Add(new WebhookAttempt(d, d.Attempts + 1, at, 15, status, null, null));

            // More than one pruning batch of deliveries that succeeded 40 days ago.
            for (var i = 0; i < 600; i++)
            {
                var d = Delivery(Event(old));
                Attempt(d, old, 200);
                d.Succeeded(200, old);
            }

            var failed = Delivery(Event(old));
            Attempt(failed, old, 500);
            failed.AttemptFailed(500, old.AddHours(5), old);
            Attempt(failed, old.AddHours(5), 500);
            failed.AttemptFailed(500, null, now.AddDays(-35));
            Event(old);

            // Redelivered yesterday, so its history is recent although its event is old.
            var recent = Delivery(Event(old));
            Attempt(recent, now.AddDays(-1), 200);
            recent.Succeeded(200, now.AddDays(-1));
            // Still to be tried: it keeps its event, whatever its age.
            var pending = Delivery(Event(old));
            Attempt(pending, old, 503);
            pending.AttemptFailed(503, now.AddHours(1), old);
            var young = Event(now.AddDays(-1));
            kept.UnionWith([recent.Id, pending.Id, recent.EventId, pending.EventId, young.Id]);
            await db.SaveChangesAsync(Ct);
            await db.OutboxEvents.ExecuteUpdateAsync(set => set.SetProperty(e => e.DispatchedAt, e => e.OccurredAt), Ct);
            return subscription.Id;
        });

        clock.Advance(TimeSpan.FromMinutes(11));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await DispatchHost.WithStoreAsync(api, db => db.WebhookDeliveries.CountAsync(Ct)) > 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        await Task.Delay(300, Ct);
        var deliveries = await DispatchHost.DeliveriesAsync(api, subscriptionId);
        // Both were created at the same instant, so their order in the log is not defined.
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Succeeded], deliveries.Select(d => d.Status).Order());
        Assert.All(deliveries, d => Assert.Contains(d.Id, kept));
        var attempts = await DispatchHost.AttemptsAsync(api, subscriptionId);
        Assert.Equal(deliveries.Select(d => d.Id).Order(), attempts.Select(a => a.DeliveryId).Order());
        var events = await DispatchHost.WithStoreAsync(api, db => db.OutboxEvents.Select(e => e.Id).ToListAsync(Ct));
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Contains(e, kept));
    }
}
