using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Payments.Monitor;

/// <summary>
/// The chain monitor in the real host, polling <see cref="FakeEsplora"/> over HTTP on 127.0.0.1, time moved by a
/// <see cref="FakeTimeProvider"/>: what finance's API shows after each poll of each scenario, and the entitlements and
/// outbox events the store holds. Each test has its own SQLite file.
/// </summary>
public sealed class ChainMonitorScenarioTests : IAsyncLifetime
{
    private const string Processing = "paymentIntent.processing";
    private const string Succeeded = "paymentIntent.succeeded";

    private FakeEsplora _chain = null!;
    private MonitorHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Tip => _chain.TipHeight;

    public async ValueTask InitializeAsync()
    {
        _chain = await FakeEsplora.StartAsync();
        // Near the real present: the host's Data Protection key ring runs on the same clock.
        _host = MonitorHost.Create(TestStore.Sqlite(), _chain, new FakeTimeProvider(DateTimeOffset.UtcNow));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _chain.DisposeAsync();
    }

    [Fact]
    public async Task An_exact_payment_goes_from_the_mempool_to_processing_then_succeeds_on_its_confirmations_with_one_entitlement()
    {
        var site = await PaymentSite.CreateAsync(_host, requiredConfirmations: 2);
        var intent = await site.CreateIntentAsync();
        Assert.Equal(12_500, intent.AmountSats); // 5.00 EUR at 40,000 EUR/BTC
        await _host.PollAsync();
        Assert.Equal("requiresPayment", (await site.GetAsync(intent)).Status);
        Assert.Equal(1, await GapAsync(site));

        var tx = _chain.Pay(intent.Address, intent.AmountSats);
        await _host.PollAsync();
        var seen = await site.GetAsync(intent);
        Assert.Equal(("processing", "none", 12_500L, 0), (seen.Status, seen.Exception, seen.ReceivedSats, seen.Confirmations));
        var payment = Assert.Single(seen.Payments);
        Assert.Equal(tx.TxId, payment.GetProperty("txid").GetString());
        Assert.Equal(1, payment.GetProperty("vout").GetInt32());
        Assert.Equal(JsonValueKind.Null, payment.GetProperty("blockHeight").ValueKind);
        Assert.Equal(0, await GapAsync(site)); // the address was used: the gap closed up to it

        _chain.TipHeight++;
        _chain.Confirm(tx, Tip);
        await _host.PollAsync();
        var mined = await site.GetAsync(intent);
        Assert.Equal(("processing", 1), (mined.Status, mined.Confirmations));
        Assert.Equal(Tip, Assert.Single(mined.Payments).GetProperty("blockHeight").GetInt32());
        Assert.Equal(0, await site.EntitlementsAsync(intent));

        _chain.TipHeight++;
        await _host.PollAsync();
        var done = await site.GetAsync(intent);
        Assert.Equal(("succeeded", "none", 12_500L, 2), (done.Status, done.Exception, done.ReceivedSats, done.Confirmations));
        Assert.True(done.HasEntitlement);
        Assert.Equal(["→requiresPayment/none", "requiresPayment→processing/none", "processing→succeeded/none"], done.History);
        Assert.Equal("monitor", done.Body.GetProperty("history")[2].GetProperty("actor").GetString());

        _chain.TipHeight++;
        await _host.PollAsync();
        var later = await site.GetAsync(intent);
        Assert.Equal(("succeeded", 2), (later.Status, later.Confirmations)); // frozen once closed
        Assert.Equal(1, await site.EntitlementsAsync(intent));
        Assert.Equal([Processing, Succeeded], await site.EventsAsync());
        Assert.Contains(_host.Api.Logs, l => l.Level == LogLevel.Information && l.Message.Contains($"Payment intent {intent.Id} succeeded", StringComparison.Ordinal));
        LogScan.AssertClean(_host.Api, [intent.ClientSecret, site.FinanceKey]);
    }

    [Fact]
    public async Task Two_partial_payments_are_underpaid_then_processing()
    {
        var site = await PaymentSite.CreateAsync(_host);
        var intent = await site.CreateIntentAsync();

        _chain.Pay(intent.Address, 5_000);
        await _host.PollAsync();
        var half = await site.GetAsync(intent);
        Assert.Equal(("requiresPayment", "underpaid", 5_000L), (half.Status, half.Exception, half.ReceivedSats));

        _chain.Pay(intent.Address, intent.AmountSats - 5_000);
        await _host.PollAsync();
        var full = await site.GetAsync(intent);
        Assert.Equal(("processing", "none", intent.AmountSats), (full.Status, full.Exception, full.ReceivedSats));
        Assert.Equal([5_000, intent.AmountSats - 5_000], full.LiveValues); // in the order first seen
        Assert.Equal(["→requiresPayment/none", "requiresPayment→requiresPayment/underpaid", "requiresPayment→processing/none"], full.History);
        Assert.Equal(["paymentIntent.partiallyPaid", Processing], await site.EventsAsync());
        Assert.Equal(0, await site.EntitlementsAsync(intent));
    }

    [Fact]
    public async Task An_overpayment_seen_confirmed_succeeds_as_overpaid_in_one_poll()
    {
        var site = await PaymentSite.CreateAsync(_host);
        var intent = await site.CreateIntentAsync();

        _chain.Pay(intent.Address, intent.AmountSats + 7_500, height: Tip);
        await _host.PollAsync();

        var paid = await site.GetAsync(intent);
        Assert.Equal(("succeeded", "overpaid", 20_000L, 1), (paid.Status, paid.Exception, paid.ReceivedSats, paid.Confirmations));
        Assert.Equal(["→requiresPayment/none", "requiresPayment→processing/none", "processing→succeeded/overpaid"], paid.History);
        Assert.Equal(1, await site.EntitlementsAsync(intent));
        Assert.Equal([Processing, Succeeded], await site.EventsAsync());
    }

    [Fact]
    public async Task A_payment_after_expiry_leaves_the_intent_expired_and_paid_late_and_unlocks_nothing()
    {
        var site = await PaymentSite.CreateAsync(_host, intentLifetimeMinutes: 1);
        var intent = await site.CreateIntentAsync();
        await _host.PollAsync();
        Assert.Equal("requiresPayment", (await site.GetAsync(intent)).Status);
        await _host.PollAsync(); // one minute after creation

        var expired = await site.GetAsync(intent);
        Assert.Equal(("expired", "none"), (expired.Status, expired.Exception));

        _chain.Pay(intent.Address, intent.AmountSats, height: Tip);
        await _host.PollAsync();
        var late = await site.GetAsync(intent);
        Assert.Equal(("expired", "paidLate", intent.AmountSats), (late.Status, late.Exception, late.ReceivedSats));
        Assert.False(late.HasEntitlement);

        _chain.TipHeight += 6;
        await _host.PollAsync();
        Assert.Equal(("expired", "paidLate"), ((await site.GetAsync(intent)).Status, (await site.GetAsync(intent)).Exception));
        Assert.Equal(0, await site.EntitlementsAsync(intent));
        Assert.Equal(["paymentIntent.expired", "paymentIntent.paidLate"], await site.EventsAsync());
    }

    [Fact]
    public async Task A_payment_replaced_before_confirmation_sends_the_intent_back_to_requires_payment()
    {
        var site = await PaymentSite.CreateAsync(_host);
        var intent = await site.CreateIntentAsync();
        var first = _chain.Pay(intent.Address, intent.AmountSats);
        await _host.PollAsync();
        Assert.Equal("processing", (await site.GetAsync(intent)).Status);

        // RBF: the same coins go back to the payer with a higher fee; the payment leaves the mempool.
        _chain.Remove(first);
        _chain.Add(null, [new FakeOutput(FakeEsplora.PayerChange, 66_000)]);
        await _host.PollAsync();

        var back = await site.GetAsync(intent);
        Assert.Equal(("requiresPayment", "replaced", 0L), (back.Status, back.Exception, back.ReceivedSats));
        Assert.True(Assert.Single(back.Payments).GetProperty("gone").GetBoolean());
        Assert.Equal("processing→requiresPayment/replaced", back.History[^1]);

        var second = _chain.Pay(intent.Address, intent.AmountSats, height: Tip);
        await _host.PollAsync();
        var paid = await site.GetAsync(intent);
        Assert.Equal(("succeeded", intent.AmountSats), (paid.Status, paid.ReceivedSats));
        Assert.Equal([intent.AmountSats], paid.LiveValues);
        Assert.Equal(second.TxId, paid.Payments.Single(p => !p.GetProperty("gone").GetBoolean()).GetProperty("txid").GetString());
        Assert.Equal([Processing, "paymentIntent.paymentReverted", Processing, Succeeded], await site.EventsAsync());
        Assert.Equal(1, await site.EntitlementsAsync(intent));
    }

    [Fact]
    public async Task A_confirmed_payment_reorganised_out_before_success_sends_the_intent_back()
    {
        var site = await PaymentSite.CreateAsync(_host, requiredConfirmations: 3);
        var intent = await site.CreateIntentAsync();
        var tx = _chain.Pay(intent.Address, intent.AmountSats, height: Tip);
        await _host.PollAsync();
        var mined = await site.GetAsync(intent);
        Assert.Equal(("processing", 1), (mined.Status, mined.Confirmations));

        // A competing branch without the transaction becomes the best chain, and it is not mined again.
        _chain.Remove(tx);
        await _host.PollAsync();

        var back = await site.GetAsync(intent);
        Assert.Equal(("requiresPayment", "replaced", 0L, 0), (back.Status, back.Exception, back.ReceivedSats, back.Confirmations));
        Assert.Equal(0, await site.EntitlementsAsync(intent));
        Assert.Equal([Processing, "paymentIntent.paymentReverted"], await site.EventsAsync());
    }

    [Fact]
    public async Task A_confirmed_payment_reorganised_out_after_success_raises_an_alert_and_the_intent_stays_succeeded()
    {
        var site = await PaymentSite.CreateAsync(_host);
        var intent = await site.CreateIntentAsync();
        var tx = _chain.Pay(intent.Address, intent.AmountSats, height: Tip);
        await _host.PollAsync();
        Assert.Equal("succeeded", (await site.GetAsync(intent)).Status);

        _chain.Remove(tx);
        await _host.PollAsync();

        var after = await site.GetAsync(intent);
        Assert.Equal(("succeeded", "none"), (after.Status, after.Exception));
        Assert.Equal("alert:paymentReverted", after.History[^1]);
        Assert.True(after.HasEntitlement);
        Assert.Equal(1, await site.EntitlementsAsync(intent));
        Assert.Equal([Processing, Succeeded, "paymentIntent.alert"], await site.EventsAsync());
        Assert.Contains(_host.Api.Logs, l => l.Level == LogLevel.Warning && l.Message.Contains($"Payment intent {intent.Id}: alert PaymentReverted", StringComparison.Ordinal));

        await _host.PollAsync(); // still gone: the alert is not raised again
        Assert.Equal(after.History.Count, (await site.GetAsync(intent)).History.Count);
    }

    [Fact]
    public async Task Garbage_and_timeouts_from_the_chain_source_lose_nothing_and_the_next_poll_recovers()
    {
        var site = await PaymentSite.CreateAsync(_host);
        var intent = await site.CreateIntentAsync();
        var tx = _chain.Pay(intent.Address, intent.AmountSats);
        await _host.PollAsync();
        var processing = await site.GetAsync(intent);
        Assert.Equal("processing", processing.Status);

        // Garbage for the tip: nothing is read this poll, and nothing is taken for "no outputs".
        _chain.PersistentFault = EsploraFault.Garbage("<html>maintenance</html>");
        await _host.PollAsync();
        Assert.Equal(processing.Body.GetProperty("version").GetInt32(), (await site.GetAsync(intent)).Body.GetProperty("version").GetInt32());
        Assert.Contains(_host.Api.Logs, l => l.Level == LogLevel.Warning && l.Message.StartsWith("The chain source is unavailable", StringComparison.Ordinal));

        // A server that stops answering: every attempt times out (6 s in all, see MonitorHost).
        _chain.PersistentFault = EsploraFault.Hang();
        await _host.PollAsync();
        var during = await site.GetAsync(intent);
        Assert.Equal(("processing", intent.AmountSats), (during.Status, during.ReceivedSats));
        Assert.False(Assert.Single(during.Payments).GetProperty("gone").GetBoolean());

        // The tip answers, the address answers garbage: the intent is skipped, not emptied.
        _chain.PersistentFault = null;
        _chain.Fail(new EsploraFault(200, "[{\"txid\":\"zz\"}]", PathContains: "address/"));
        await _host.PollAsync();
        Assert.Equal("processing", (await site.GetAsync(intent)).Status);
        Assert.False(Assert.Single((await site.GetAsync(intent)).Payments).GetProperty("gone").GetBoolean());

        _chain.TipHeight++;
        _chain.Confirm(tx, Tip);
        await _host.PollAsync();
        var done = await site.GetAsync(intent);
        Assert.Equal(("succeeded", intent.AmountSats), (done.Status, done.ReceivedSats));
        Assert.Equal(1, await site.EntitlementsAsync(intent));
        Assert.Equal([Processing, Succeeded], await site.EventsAsync());
        Assert.Contains(_host.Api.Logs, l => l.Message.StartsWith("The chain source answers again", StringComparison.Ordinal));
        // Polly logs each timed-out attempt at Error itself; the monitor's own lines are warnings.
        Assert.DoesNotContain(_host.Api.Logs, l => l.Level >= LogLevel.Error && l.Category.StartsWith("Daxdi", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Api.Logs, l => l.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_address_that_cannot_be_read_stops_none_of_the_other_intents()
    {
        var site = await PaymentSite.CreateAsync(_host);
        var stuck = await site.CreateIntentAsync();
        var other = await site.CreateIntentAsync();
        _chain.Pay(stuck.Address, stuck.AmountSats);
        _chain.Pay(other.Address, other.AmountSats);
        // Every attempt for the first address fails (the client tries three times).
        _chain.Fail([.. Enumerable.Repeat(EsploraFault.ServerError with { PathContains = stuck.Address }, 3)]);

        await _host.PollAsync();

        Assert.Equal(("requiresPayment", 0L), ((await site.GetAsync(stuck)).Status, (await site.GetAsync(stuck)).ReceivedSats));
        Assert.Equal("processing", (await site.GetAsync(other)).Status);
        Assert.Contains(_host.Api.Logs, l => l.Level == LogLevel.Warning && l.Message.StartsWith($"Reading the address of payment intent {stuck.Id} failed", StringComparison.Ordinal));

        await _host.PollAsync();
        Assert.Equal("processing", (await site.GetAsync(stuck)).Status);
    }

    [Fact]
    public async Task Intents_expire_while_the_chain_source_is_down_and_a_payment_seen_afterwards_is_late()
    {
        var site = await PaymentSite.CreateAsync(_host, intentLifetimeMinutes: 1);
        var intent = await site.CreateIntentAsync();
        _chain.PersistentFault = EsploraFault.ServerError;

        await _host.PollForAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(("expired", "none"), ((await site.GetAsync(intent)).Status, (await site.GetAsync(intent)).Exception));
        _chain.PersistentFault = null;
        _chain.Pay(intent.Address, intent.AmountSats);
        await _host.PollAsync();
        var late = await site.GetAsync(intent);
        Assert.Equal(("expired", "paidLate"), (late.Status, late.Exception));
        Assert.Equal(["paymentIntent.expired", "paymentIntent.paidLate"], await site.EventsAsync());
    }

    [Fact]
    public async Task Without_a_chain_source_nothing_is_requested_and_intents_still_expire()
    {
        await using var host = MonitorHost.Create(TestStore.Sqlite(), esplora: null, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var site = await PaymentSite.CreateAsync(host, intentLifetimeMinutes: 1);
        var intent = await site.CreateIntentAsync();

        await host.PollForAsync(TimeSpan.FromMinutes(1));

        var expired = await site.GetAsync(intent);
        Assert.Equal(("expired", "none"), (expired.Status, expired.Exception));
        Assert.Equal("expired without full payment", expired.Body.GetProperty("history")[1].GetProperty("reason").GetString());
        Assert.Contains(host.Api.Logs, l => l.Level == LogLevel.Information && l.Message.StartsWith("No chain source is configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Intents_past_their_watch_are_no_longer_read()
    {
        var site = await PaymentSite.CreateAsync(_host, intentLifetimeMinutes: 1, monitoringWindowHours: 1);
        var intent = await site.CreateIntentAsync();
        await _host.PollForAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("expired", (await site.GetAsync(intent)).Status);
        await _host.AdvanceAsync(TimeSpan.FromHours(1));
        _chain.Requests.Clear();

        _chain.Pay(intent.Address, intent.AmountSats);
        await _host.PollAsync();

        Assert.Equal(("expired", "none"), ((await site.GetAsync(intent)).Status, (await site.GetAsync(intent)).Exception));
        Assert.Empty(_chain.Requests); // nothing watched: not even the tip is read
    }

    [Fact]
    public async Task A_poll_pages_through_more_intents_than_a_batch()
    {
        await using var host = MonitorHost.Create(TestStore.Sqlite(), _chain, new FakeTimeProvider(DateTimeOffset.UtcNow), settings: ("Bitcoin:Monitor:BatchSize", "2"));
        var site = await PaymentSite.CreateAsync(host);
        var intents = new List<Intent>();
        for (var i = 0; i < 5; i++)
        {
            var intent = await site.CreateIntentAsync();
            _chain.Pay(intent.Address, intent.AmountSats, height: Tip);
            intents.Add(intent);
        }

        await host.PollAsync();

        foreach (var intent in intents)
        {
            Assert.Equal("succeeded", (await site.GetAsync(intent)).Status);
        }

        Assert.Equal(5, _chain.Requests.Count(r => r.StartsWith("address/", StringComparison.Ordinal)));
    }

    private async Task<int> GapAsync(PaymentSite site)
    {
        var wallet = await _host.Api.Client(site.FinanceKey).GetFromJsonAsync<JsonElement>($"/api/v1/admin/sites/{site.Site}/wallet", Ct);
        return wallet.GetProperty("gap").GetInt32();
    }
}
