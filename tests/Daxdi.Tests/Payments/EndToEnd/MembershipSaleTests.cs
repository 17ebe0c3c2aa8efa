using System.Net;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Tests.Payments.Api;
using Daxdi.Tests.Support;
using Daxdi.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Payments.EndToEnd;

/// <summary>
/// A frontend sells a membership for bitcoin against a fake chain (Esplora over real HTTP), with the chain monitor
/// polling every second and the webhook dispatcher delivering to a real receiver: the whole path a reader's payment takes.
/// </summary>
public sealed class MembershipSaleTests : IAsyncLifetime
{
    private FakeEsplora _chain = null!;
    private WebhookReceiver _receiver = null!;
    private ApiFactory _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _chain = await FakeEsplora.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _api = DispatchHost.Create(TestStore.Sqlite(), settings:
            [("Bitcoin:Esplora:BaseUrl", _chain.BaseUrl), ("Bitcoin:Monitor:PollSeconds", "1")]);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
        await _chain.DisposeAsync();
    }

    [Fact]
    public async Task A_membership_is_paid_in_two_parts_confirmed_and_granted_once_with_one_succeeded_webhook()
    {
        var room = await PaymentSite.CreateAsync(_api);
        var secret = WebhookReceiver.NewSecret();
        await DispatchHost.SubscribeAsync(_api, room.Site, _receiver.Url(), secret,
            "paymentIntent.partiallyPaid", "paymentIntent.processing", "paymentIntent.succeeded");

        // The frontend's request times out twice on its side and is sent again with the same key: one intent.
        var key = Guid.NewGuid().ToString();
        var body = new { purpose = "membership", planKey = "monthly", customerReference = "reader-42" };
        var attempts = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            attempts.Add(await PaymentSite.ExpectAsync(await room.CreateIntentAsync(body, key)));
        }

        var intent = attempts[0];
        Assert.All(attempts, a => Assert.Equal(intent.GetRawText(), a.GetRawText()));
        var id = intent.GetProperty("id").GetString()!;
        var clientSecret = intent.GetProperty("clientSecret").GetString()!;
        var address = intent.GetProperty("address").GetString()!;
        var amount = intent.GetProperty("amountSats").GetInt64();

        var qr = await room.GetIntentAsync(id, clientSecret, "/qr.svg");
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);

        var first = _chain.Pay(address, amount / 3);
        var partial = await PollAsync(room, id, clientSecret, i => i.GetProperty("exception").GetString() == "underpaid");
        Assert.Equal("requiresPayment", partial.GetProperty("status").GetString());
        Assert.Equal(amount / 3, partial.GetProperty("receivedSats").GetInt64());

        var rest = _chain.Pay(address, amount - (amount / 3));
        var processing = await PollAsync(room, id, clientSecret, i => i.GetProperty("status").GetString() == "processing");
        Assert.Equal(amount, processing.GetProperty("receivedSats").GetInt64());
        Assert.Equal(2, processing.GetProperty("payments").GetArrayLength());

        _chain.Confirm(first, _chain.TipHeight);
        _chain.Confirm(rest, _chain.TipHeight);
        var succeeded = await PollAsync(room, id, clientSecret, i => i.GetProperty("status").GetString() == "succeeded");
        Assert.Equal("none", succeeded.GetProperty("exception").GetString());

        var admin = await PaymentSite.ExpectAsync(await _api.Admin().GetAsync($"/api/v1/admin/payment-intents/{id}", Ct));
        var entitlementId = admin.GetProperty("entitlementId").GetString();
        Assert.NotNull(entitlementId);
        var hooks = await _receiver.WaitForAsync(3, seconds: 15);
        // Polls go on after success; nothing more may be granted or sent.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await using (var scope = _api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IDaxdiDbContext>();
            var entitlements = await db.Entitlements.AsNoTracking().Where(e => e.PaymentIntentId == Guid.Parse(id)).ToListAsync(Ct);
            var entitlement = Assert.Single(entitlements);
            Assert.Equal("reader-42", entitlement.CustomerReference);
            Assert.Equal("monthly", entitlement.PlanKey);
            Assert.Equal(30, (entitlement.ValidUntil!.Value - entitlement.ValidFrom).TotalDays, 3);
        }

        hooks = _receiver.To();
        Assert.Equal(["paymentIntent.partiallyPaid", "paymentIntent.processing", "paymentIntent.succeeded"], hooks.Select(h => h.Type));
        var success = hooks.Single(h => h.Type == "paymentIntent.succeeded");
        Assert.True(success.IsSignedWith(secret));
        Assert.Equal(id, success.Data.GetProperty("paymentIntentId").GetString());
        Assert.Equal(entitlementId, success.Data.GetProperty("entitlementId").GetString());
        Assert.Equal("reader-42", success.Data.GetProperty("customerReference").GetString());
        Assert.DoesNotContain(clientSecret, System.Text.Encoding.UTF8.GetString(success.Body), StringComparison.Ordinal);
    }

    /// <summary>Polls the intent as a frontend does (with its ETag) until <paramref name="done"/> holds.</summary>
    private static async Task<JsonElement> PollAsync(PaymentSite room, string id, string secret, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var intent = await PaymentSite.ExpectAsync(await room.GetIntentAsync(id, secret));
            if (done(intent))
            {
                return intent;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The intent did not get there in time: {intent}");
            await Task.Delay(200, Ct);
        }
    }
}
