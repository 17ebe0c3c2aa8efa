using Daxdi.Application.Common;
using Daxdi.Application.Events;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Webhooks;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Webhooks;

/// <summary>Two API processes dispatching from one store: every event is fanned out once and every attempt sent once.</summary>
public abstract class DispatchTwoNodeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<TestStore> NewStoreAsync();

    [Fact]
    public async Task Two_dispatchers_on_one_store_send_each_event_exactly_once()
    {
        const int count = 120;
        var store = await NewStoreAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        // Small batches, so the two dispatchers take many turns at the same events and attempts.
        (string, string) batch = ("Webhooks:BatchSize", "8");
        await using var nodeA = DispatchHost.Create(store, settings: batch);
        var room = await Newsroom.CreateAsync(nodeA);
        await using var nodeB = DispatchHost.Create(store, ownsStore: false, settings: batch);
        nodeB.Client();
        var subscription = await DispatchHost.SubscribeAsync(nodeA, room.Site, receiver.Url(), WebhookReceiver.NewSecret());

        // Written in one commit without waking either dispatcher, so both find them at their next poll.
        await DispatchHost.WithStoreAsync(nodeA, async db =>
        {
            var events = nodeA.Services.GetRequiredService<IntegrationEvents>();
            var siteId = subscription.SiteId;
            var now = TimeProvider.System.UtcNow();
            db.OutboxEvents.AddRange(Enumerable.Range(0, count).Select(i => events.Create(siteId, EventCatalog.ArticlePublished, now,
                new ArticleEventData
                {
                    Id = Guid.CreateVersion7(), Site = room.Site, Slug = $"story-{i}", PreviousSlug = null, Title = $"Story {i}", Language = "en",
                    Status = ArticleStatus.Published, Version = 2, PublishedAt = now,
                })));
            return await db.SaveChangesAsync(Ct);
        });

        await receiver.WaitForAsync(count, seconds: 60);
        await Task.Delay(2500, Ct);

        var received = receiver.To();
        Assert.Equal(count, received.Count);
        Assert.Equal(count, received.Select(r => r.Id).Distinct().Count());
        Assert.Equal(count, (await DispatchHost.AttemptsAsync(nodeA, subscription.Id)).Count);
        var deliveries = await DispatchHost.DeliveriesAsync(nodeA, subscription.Id);
        Assert.Equal(count, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Succeeded, 1), (d.Status, d.Attempts)));
        Assert.Equal(0, await DispatchHost.WithStoreAsync(nodeA, db => db.OutboxEvents.CountAsync(e => e.DispatchedAt == null, Ct)));
    }
}

public sealed class SqliteDispatchTwoNodeTests : DispatchTwoNodeTests
{
    protected override Task<TestStore> NewStoreAsync() => Task.FromResult(TestStore.Sqlite());
}

public sealed class PostgreSqlDispatchTwoNodeTests : DispatchTwoNodeTests
{
    protected override Task<TestStore> NewStoreAsync() => TestStore.PostgreSqlAsync();
}
