using System.Net;
using System.Net.Http.Json;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Features.Payments;
using Daxdi.Domain.Payments;
using Daxdi.Infrastructure.Bitcoin;
using Daxdi.Infrastructure.Leases;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Support;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Payments.Monitor;

/// <summary>
/// Two monitors on one store (two hosts on one SQLite file, or one PostgreSQL database): the lease lets one poll, and
/// when both write anyway (a holder stalled past its lease) the site lock, the intent's version and the unique index on
/// the entitlement still let a success happen once.
/// </summary>
public sealed class ChainMonitorConcurrencyTests
{
    private const string Succeeded = "paymentIntent.succeeded";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores => new() { "Sqlite", "PostgreSql" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Two_monitors_poll_one_at_a_time_and_each_success_is_granted_once(string provider)
    {
        await using var pair = await Pair.StartAsync(provider);
        var (a, b, chain) = (pair.A, pair.B, pair.Chain);
        var site = await PaymentSite.CreateAsync(a);
        var intents = new List<Intent>();
        for (var i = 0; i < 3; i++)
        {
            var intent = await site.CreateIntentAsync();
            chain.Pay(intent.Address, intent.AmountSats, height: chain.TipHeight);
            intents.Add(intent);
        }

        chain.Requests.Clear();
        await MonitorHost.PollAllAsync(a, b);
        await MonitorHost.PollAllAsync(a, b);

        foreach (var intent in intents)
        {
            Assert.Equal("succeeded", (await site.GetAsync(intent, through: b)).Status);
            Assert.Equal(1, await site.EntitlementsAsync(intent));
        }

        Assert.Equal(3, (await site.EventsAsync()).Count(t => t == Succeeded));
        // One node read the chain each poll: the tip and three addresses, twice.
        Assert.Equal(8, chain.Requests.Count);
        var holder = await a.Api.Services.GetRequiredService<StoreLeases>().HolderAsync(ChainMonitorService.LeaseName, Ct);
        Assert.Contains(holder, new[] { a.Monitor.Holder, b.Monitor.Holder });
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task When_the_lease_holder_stops_the_other_monitor_takes_over(string provider)
    {
        await using var pair = await Pair.StartAsync(provider);
        var site = await PaymentSite.CreateAsync(pair.A);
        var first = await site.CreateIntentAsync();
        pair.Chain.Pay(first.Address, first.AmountSats, height: pair.Chain.TipHeight);
        await MonitorHost.PollAllAsync(pair.A, pair.B);
        var leases = pair.A.Api.Services.GetRequiredService<StoreLeases>();
        var holder = await leases.HolderAsync(ChainMonitorService.LeaseName, Ct);
        var (stopping, staying) = holder == pair.A.Monitor.Holder ? (pair.A, pair.B) : (pair.B, pair.A);
        Assert.Equal(stopping.Monitor.Holder, holder);

        await pair.StopAsync(stopping);
        var second = await site.CreateIntentAsync(through: staying);
        pair.Chain.Pay(second.Address, second.AmountSats, height: pair.Chain.TipHeight);
        // One poll later, not a lease (120 s) later: the stopping host gave the lease back.
        await staying.PollAsync();

        Assert.Equal("succeeded", (await site.GetAsync(second, through: staying)).Status);
        Assert.Equal(1, await site.EntitlementsAsync(second, through: staying));
        Assert.Equal(staying.Monitor.Holder, await staying.Api.Services.GetRequiredService<StoreLeases>().HolderAsync(ChainMonitorService.LeaseName, Ct));
        Assert.Contains(staying.Api.Logs, l => l.Message.StartsWith("Took the chain monitor lease", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_without_a_chain_source_never_takes_the_lease_from_one_with_it()
    {
        await using var pair = await Pair.StartAsync("Sqlite", chainOnA: false);
        var site = await PaymentSite.CreateAsync(pair.A);
        var intent = await site.CreateIntentAsync();
        pair.Chain.Pay(intent.Address, intent.AmountSats, height: pair.Chain.TipHeight);

        for (var i = 0; i < 3; i++)
        {
            await MonitorHost.PollAllAsync(pair.A, pair.B);
        }

        Assert.Equal("succeeded", (await site.GetAsync(intent)).Status);
        Assert.Equal(pair.B.Monitor.Holder,
            await pair.A.Api.Services.GetRequiredService<StoreLeases>().HolderAsync(ChainMonitorService.LeaseName, Ct));
        Assert.DoesNotContain(pair.A.Api.Logs, l => l.Message.StartsWith("Took the chain monitor lease", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Observations_sent_at_once_by_both_nodes_grant_one_entitlement_and_one_succeeded_event(string provider)
    {
        await using var pair = await Pair.StartAsync(provider);
        var site = await PaymentSite.CreateAsync(pair.A);
        var intent = await site.CreateIntentAsync();
        var tx = pair.Chain.Pay(intent.Address, intent.AmountSats, height: pair.Chain.TipHeight);
        var seen = new ChainObservation(pair.Chain.TipHeight, [new AddressOutput(tx.TxId, 1, intent.AmountSats, pair.Chain.TipHeight)]);

        // The lease bypassed: eight commands at once, four from each node, as monitors that both believe they hold it.
        var sends = Enumerable.Range(0, 8).Select(i => Task.Run(() => SendAsync(i % 2 == 0 ? pair.A : pair.B,
            new ApplyChainObservation(site.SiteId, intent.Id, seen)), Ct)).ToList();
        var outcomes = await Task.WhenAll(sends);

        // Under the site's lock each command reads what the one before committed: one grants, the others change nothing.
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Single(outcomes, o => o.Result!.Granted);
        Assert.All(outcomes, o => Assert.Equal(PaymentStatus.Succeeded, o.Result!.Status));
        Assert.Equal(1, await site.EntitlementsAsync(intent));
        Assert.Equal(1, (await site.EventsAsync()).Count(t => t == Succeeded));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_monitor_and_finance_settling_at_once_grant_one_entitlement(string provider)
    {
        await using var pair = await Pair.StartAsync(provider);
        var site = await PaymentSite.CreateAsync(pair.A);
        var finance = pair.B.Api.Client(site.FinanceKey);
        for (var round = 0; round < 4; round++)
        {
            var intent = await site.CreateIntentAsync();
            var tx = pair.Chain.Pay(intent.Address, intent.AmountSats);
            var mempool = new ChainObservation(pair.Chain.TipHeight, [new AddressOutput(tx.TxId, 1, intent.AmountSats, null)]);
            Assert.Null((await SendAsync(pair.A, new ApplyChainObservation(site.SiteId, intent.Id, mempool))).Error);
            var mined = mempool with { Outputs = [new AddressOutput(tx.TxId, 1, intent.AmountSats, pair.Chain.TipHeight)] };

            // Finance's action takes no site lock: the intent's version decides who commits.
            var monitor = Task.Run(() => SendAsync(pair.A, new ApplyChainObservation(site.SiteId, intent.Id, mined)), Ct);
            var settle = Task.Run(() => finance.PostAsJsonAsync($"/api/v1/admin/payment-intents/{intent.Id}/mark-settled",
                new { reason = "paid by bank transfer as well" }, Ct), Ct);
            var (observed, settled) = (await monitor, await settle);

            // The loser's commit fails whole: at the version check, or at the entitlement's unique index when its
            // insert comes first (PostgreSQL then waits for the winner's commit and refuses the duplicate).
            Assert.True(observed.Error is null or DbUpdateConcurrencyException || (observed.Error is DbUpdateException u && StoreErrors.IsUniqueViolation(u)),
                observed.Error?.ToString());
            Assert.True(settled.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed,
                $"{(int)settled.StatusCode} {await settled.Content.ReadAsStringAsync(Ct)}");
            var view = await site.GetAsync(intent);
            Assert.Equal("succeeded", view.Status);
            Assert.Equal(1, await site.EntitlementsAsync(intent));
            Assert.Equal(view.Body.GetProperty("entitlementId").GetGuid(),
                await pair.A.StoreAsync(db => db.Entitlements.Where(e => e.PaymentIntentId == intent.Id).Select(e => e.Id).SingleAsync(Ct)));
        }

        Assert.Equal(4, (await site.EventsAsync()).Count(t => t == Succeeded));
    }

    private static async Task<Outcome> SendAsync(MonitorHost host, ApplyChainObservation command)
    {
        try
        {
            await using var scope = host.Api.Services.CreateAsyncScope();
            return new Outcome(await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, Ct), null);
        }
        catch (Exception e)
        {
            return new Outcome(null, e);
        }
    }

    private sealed record Outcome(ChainObservationResult? Result, Exception? Error);

    /// <summary>Two hosts on one store, one fake chain and one clock; the store is dropped after both hosts.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly TestStore _store;
        private readonly List<MonitorHost> _running;

        private Pair(TestStore store, FakeEsplora chain, MonitorHost a, MonitorHost b)
        {
            _store = store;
            Chain = chain;
            A = a;
            B = b;
            _running = [a, b];
        }

        public FakeEsplora Chain { get; }

        public MonitorHost A { get; }

        public MonitorHost B { get; }

        /// <param name="chainOnA">False: A has no chain source configured.</param>
        public static async Task<Pair> StartAsync(string provider, bool chainOnA = true)
        {
            var store = provider == "Sqlite" ? TestStore.Sqlite() : await TestStore.PostgreSqlAsync();
            Assert.SkipWhen(store.SkipReason is not null, store.SkipReason ?? "");
            var chain = await FakeEsplora.StartAsync();
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var a = MonitorHost.Create(store, chainOnA ? chain : null, clock, ownsStore: false);
            var b = MonitorHost.Create(store, chain, clock, ownsStore: false);
            var pair = new Pair(store, chain, a, b);
            // The first host migrates the store; the second starts on it once that is done.
            await a.StartedAsync();
            await b.StartedAsync();
            return pair;
        }

        public async Task StopAsync(MonitorHost host)
        {
            _running.Remove(host);
            await host.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in _running)
            {
                await host.DisposeAsync();
            }

            await Chain.DisposeAsync();
            await _store.DisposeAsync();
        }
    }
}
