using Daxdi.Application.Common;
using Daxdi.Application.Features.WebhookDispatch;
using Daxdi.Domain.Webhooks;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Webhooks;

/// <summary>
/// Failed attempts on a clock the test moves: retried on the documented schedule, never early, then failed; a
/// subscription whose deliveries keep failing is disabled with its reason; secrets rotate without a gap.
/// </summary>
public sealed class DispatchRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("500")]
    [InlineData("timeout")]
    [InlineData("refused")]
    public async Task A_failing_delivery_is_retried_on_the_schedule_with_the_same_id_and_then_fails(string failure)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = failure == "timeout" ? _ => new Answer(200, TimeSpan.FromSeconds(30)) : _ => new Answer(500, Body: "database down");
        var url = failure == "refused" ? $"http://127.0.0.1:{ApiProcess.FreePort()}/hooks" : receiver.Url();
        await using var api = DispatchHost.Create(TestStore.Sqlite(), clock, settings: ("Webhooks:TimeoutSeconds", "1"));
        var room = await Newsroom.CreateAsync(api);
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, url, WebhookReceiver.NewSecret());
        await room.PublishedAsync();

        await DriveThroughScheduleAsync(api, clock, subscription.Id, deliveries: 1);

        var delivery = Assert.Single(await DispatchHost.DeliveriesAsync(api, subscription.Id));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(WebhookRetrySchedule.MaxAttempts, delivery.Attempts);
        Assert.Equal(clock.UtcNow(), delivery.CompletedAt);
        var attempts = await DispatchHost.AttemptsAsync(api, subscription.Id);
        Assert.Equal(Enumerable.Range(1, WebhookRetrySchedule.MaxAttempts), attempts.Select(a => a.Number));
        Assert.All(attempts, a =>
        {
            switch (failure)
            {
                case "500":
                    Assert.Equal(500, a.StatusCode);
                    Assert.Equal("database down", a.ResponseBody);
                    Assert.Null(a.Error);
                    break;
                case "timeout":
                    Assert.Null(a.StatusCode);
                    Assert.Equal("No answer within 1 s.", a.Error);
                    Assert.InRange(a.DurationMs, 900, 5000);
                    break;
                default:
                    Assert.Null(a.StatusCode);
                    Assert.StartsWith("Connection refused", a.Error, StringComparison.Ordinal);
                    Assert.Contains(new Uri(url).Authority, a.Error, StringComparison.Ordinal);
                    break;
            }
        });

        if (failure != "refused")
        {
            var received = receiver.To();
            Assert.Equal(WebhookRetrySchedule.MaxAttempts, received.Count);
            Assert.Single(received.Select(r => r.Id).Distinct());
            Assert.Single(received.Select(r => Convert.ToBase64String(r.Body)).Distinct());
            Assert.Equal(attempts.Select(a => new DateTimeOffset(a.StartedAt).ToUnixTimeSeconds()), received.Select(r => r.Timestamp));
        }

        var after = await DispatchHost.SubscriptionAsync(api, subscription.Id);
        Assert.True(after.Enabled);
        Assert.Equal(1, after.ConsecutiveFailures);
    }

    [Fact]
    public async Task A_subscription_is_disabled_with_its_reason_after_the_configured_failed_deliveries_in_a_row()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new Answer(500);
        await using var api = DispatchHost.Create(TestStore.Sqlite(), clock, settings: ("Webhooks:DisableAfterFailures", "2"));
        var room = await Newsroom.CreateAsync(api);
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, receiver.Url(), WebhookReceiver.NewSecret());

        await room.PublishedAsync(Newsroom.Draft(title: "First failure"));
        await DriveThroughScheduleAsync(api, clock, subscription.Id, deliveries: 1);
        Assert.Equal(1, (await DispatchHost.SubscriptionAsync(api, subscription.Id)).ConsecutiveFailures);

        // A success ends the run.
        receiver.Answer = _ => new Answer(204);
        await room.PublishedAsync(Newsroom.Draft(title: "Success"));
        await DispatchHost.WaitForAttemptsAsync(api, subscription.Id, WebhookRetrySchedule.MaxAttempts + 1);
        var reset = await DispatchHost.SubscriptionAsync(api, subscription.Id);
        Assert.Equal(0, reset.ConsecutiveFailures);
        Assert.True(reset.Enabled);

        receiver.Answer = _ => new Answer(500);
        await room.PublishedAsync(Newsroom.Draft(title: "Second failure"));
        await room.PublishedAsync(Newsroom.Draft(title: "Third failure"));
        await DriveThroughScheduleAsync(api, clock, subscription.Id, deliveries: 2, before: WebhookRetrySchedule.MaxAttempts + 1);

        var disabled = await DispatchHost.SubscriptionAsync(api, subscription.Id);
        Assert.False(disabled.Enabled);
        Assert.Equal(2, disabled.ConsecutiveFailures);
        Assert.Equal("Disabled after 2 failed deliveries in a row; the last attempt of the last one: HTTP 500", disabled.DisabledReason);
        Assert.Equal(clock.UtcNow(), disabled.DisabledAt);

        var sent = receiver.Received.Count;
        await room.PublishedAsync(Newsroom.Draft(title: "After disabling"));
        await Task.Delay(1500, Ct);
        Assert.Equal(sent, receiver.Received.Count);
        Assert.Equal(4, (await DispatchHost.DeliveriesAsync(api, subscription.Id)).Count);
    }

    [Fact]
    public async Task A_pending_delivery_of_a_subscription_disabled_meanwhile_is_not_sent_and_ends_failed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new Answer(503);
        await using var api = DispatchHost.Create(TestStore.Sqlite(), clock);
        var room = await Newsroom.CreateAsync(api);
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, receiver.Url(), WebhookReceiver.NewSecret());
        await room.PublishedAsync();
        await DispatchHost.WaitForAttemptsAsync(api, subscription.Id, 1);

        await DispatchHost.WithStoreAsync(api, async db =>
        {
            var tracked = await db.WebhookSubscriptions.SingleAsync(s => s.Id == subscription.Id, Ct);
            tracked.Update(tracked.Url, tracked.EventTypes, tracked.Description, enabled: false, clock.UtcNow());
            return await db.SaveChangesAsync(Ct);
        });
        receiver.Answer = _ => new Answer(200);
        clock.Advance(TimeSpan.FromMinutes(1));

        var delivery = await EventuallyAsync(api, subscription.Id, d => d.Status != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(clock.UtcNow(), delivery.CompletedAt);
        Assert.Single(receiver.To());
        Assert.Single(await DispatchHost.AttemptsAsync(api, subscription.Id));
    }

    [Fact]
    public async Task During_a_rotation_overlap_a_delivery_carries_both_signatures_and_after_it_only_the_new_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = DispatchHost.Create(TestStore.Sqlite(), clock);
        var room = await Newsroom.CreateAsync(api);
        var oldSecret = WebhookReceiver.NewSecret();
        var newSecret = WebhookReceiver.NewSecret();
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, receiver.Url(), oldSecret);
        await DispatchHost.WithStoreAsync(api, async db =>
        {
            var tracked = await db.WebhookSubscriptions.SingleAsync(s => s.Id == subscription.Id, Ct);
            tracked.RotateSecret(newSecret, clock.UtcNow().AddHours(24), clock.UtcNow());
            return await db.SaveChangesAsync(Ct);
        });

        await room.PublishedAsync(Newsroom.Draft(title: "During the overlap"));
        var during = (await receiver.WaitForAsync(1))[0];
        clock.Advance(TimeSpan.FromHours(25));
        await room.PublishedAsync(Newsroom.Draft(title: "After the overlap"));
        var after = (await receiver.WaitForAsync(2))[1];

        Assert.Equal([during.ExpectedSignature(newSecret), during.ExpectedSignature(oldSecret)], during.Signatures);
        Assert.Matches("^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$", during.Headers["webhook-signature"]);
        Assert.Equal([after.ExpectedSignature(newSecret)], after.Signatures);
        Assert.False(after.IsSignedWith(oldSecret));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), after.Timestamp);
    }

    /// <summary>
    /// Moves the clock to each retry of the subscription's pending deliveries, checking first that nothing is sent a
    /// second early, until every attempt of the schedule is made.
    /// </summary>
    private static async Task DriveThroughScheduleAsync(ApiFactory api, FakeTimeProvider clock, Guid subscriptionId, int deliveries, int before = 0)
    {
        var expected = before + deliveries;
        await DispatchHost.WaitForAttemptsAsync(api, subscriptionId, expected);
        for (var made = 1; made < WebhookRetrySchedule.MaxAttempts; made++)
        {
            var pending = (await DispatchHost.DeliveriesAsync(api, subscriptionId)).Where(d => d.Status == DeliveryStatus.Pending).ToList();
            Assert.Equal(deliveries, pending.Count);
            var wait = WebhookRetrySchedule.Waits[made - 1];
            Assert.All(pending, d =>
            {
                Assert.Equal(made, d.Attempts);
                Assert.InRange(d.NextAttemptAt - d.LastAttemptAt!.Value,
                    wait * (1 - WebhookRetrySchedule.Jitter) - TimeSpan.FromMilliseconds(1), wait * (1 + WebhookRetrySchedule.Jitter) + TimeSpan.FromMilliseconds(1));
            });

            var first = pending.Min(d => d.NextAttemptAt);
            clock.Advance(first - clock.UtcNow() - TimeSpan.FromSeconds(1));
            await Task.Delay(200, Ct);
            Assert.Equal(expected, (await DispatchHost.AttemptsAsync(api, subscriptionId)).Count);

            clock.Advance(pending.Max(d => d.NextAttemptAt) - clock.UtcNow());
            expected += deliveries;
            await DispatchHost.WaitForAttemptsAsync(api, subscriptionId, expected);
        }
    }

    private static async Task<WebhookDelivery> EventuallyAsync(ApiFactory api, Guid subscriptionId, Func<WebhookDelivery, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var delivery = Assert.Single(await DispatchHost.DeliveriesAsync(api, subscriptionId));
            if (done(delivery) || DateTime.UtcNow > deadline)
            {
                return delivery;
            }

            await Task.Delay(20, Ct);
        }
    }
}
