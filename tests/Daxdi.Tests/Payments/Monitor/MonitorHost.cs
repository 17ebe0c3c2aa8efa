using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Infrastructure.Bitcoin;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Payments.Monitor;

/// <summary>
/// An API host whose chain monitor polls a <see cref="FakeEsplora"/> over real HTTP, on a <see cref="FakeTimeProvider"/>
/// the test moves: <see cref="PollAsync"/> moves it by one poll interval and waits for that poll to finish.
/// </summary>
public sealed class MonitorHost : IAsyncDisposable
{
    public const decimal EurPerBtc = 40_000m;

    private MonitorHost(ApiFactory api, FakeTimeProvider clock)
    {
        Api = api;
        Clock = clock;
    }

    public ApiFactory Api { get; }

    public FakeTimeProvider Clock { get; }

    public ChainMonitorService Monitor => Api.Services.GetRequiredService<ChainMonitorService>();

    public static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A host on <paramref name="store"/>; without <paramref name="esplora"/> no chain source is configured.</summary>
    public static MonitorHost Create(TestStore store, FakeEsplora? esplora, FakeTimeProvider clock, bool ownsStore = true,
        params (string Key, string Value)[] settings)
    {
        (string, string)[] all =
        [
            .. esplora is null ? [] : Esplora(esplora.BaseUrl),
            ("Bitcoin:Rates:EUR", EurPerBtc.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Bitcoin:Monitor:PollSeconds", "30"),
            ("RateLimits:PaymentIntents:PermitLimit", "1000000"),
            .. settings,
        ];
        var api = new ApiFactory(store, all) { OwnsStore = ownsStore, TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        return new MonitorHost(api, clock);
    }

    /// <summary>
    /// Timeouts that end a hung request within 6 s, with attempts of 2 s rather than BitcoinHost.FastEsplora's 0.5 s:
    /// these tests assert that a poll read the chain, on a shared 2-core machine.
    /// </summary>
    private static (string, string)[] Esplora(string baseUrl) =>
    [
        ("Bitcoin:Esplora:BaseUrl", baseUrl),
        ("Bitcoin:Esplora:TimeoutSeconds", "6"),
        ("Bitcoin:Esplora:AttemptTimeoutSeconds", "2"),
        ("Bitcoin:Esplora:Retries", "2"),
        ("Bitcoin:Esplora:RetryDelaySeconds", "0.02"),
    ];

    /// <summary>Waits for the poll made at start-up.</summary>
    public Task StartedAsync() => WaitAsync(() => Monitor.CompletedPolls >= 1, "the first poll");

    /// <summary>Moves the clock by one poll interval and waits until the poll it starts has finished.</summary>
    public Task PollAsync() => AdvanceAsync(PollInterval);

    /// <summary>
    /// Moves the clock by <paramref name="span"/> (at least a poll interval) and waits until the one poll that starts has
    /// finished. The monitor is then waiting for its next poll again, so the clock may be moved once more.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        Assert.True(span >= PollInterval);
        await StartedAsync();
        var before = Monitor.CompletedPolls;
        Clock.Advance(span);
        await WaitAsync(() => Monitor.CompletedPolls > before, "a poll");
    }

    /// <summary>Polls on every host of <paramref name="hosts"/> (which share one clock) at once.</summary>
    public static async Task PollAllAsync(params MonitorHost[] hosts)
    {
        foreach (var host in hosts)
        {
            await host.StartedAsync();
        }

        var before = hosts.Select(h => h.Monitor.CompletedPolls).ToArray();
        hosts[0].Clock.Advance(PollInterval);
        for (var i = 0; i < hosts.Length; i++)
        {
            var host = hosts[i];
            var count = before[i];
            await WaitAsync(() => host.Monitor.CompletedPolls > count, $"a poll of host {i}");
        }
    }

    /// <summary>Moves the clock by <paramref name="span"/> in poll-sized steps, polling at each.</summary>
    public async Task PollForAsync(TimeSpan span)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += PollInterval)
        {
            await PollAsync();
        }
    }

    public static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(10, Ct);
        }
    }

    public async Task<T> StoreAsync<T>(Func<DaxdiDbContext, Task<T>> read)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<DaxdiDbContext>());
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// A site with a testnet wallet (an account of the BIP84 test vector's mnemonic of its own: two sites may not share a
/// key) and EUR donations, whose intents a test pays.
/// </summary>
public sealed class PaymentSite
{
    private PaymentSite(MonitorHost host, string site, Guid siteId, string financeKey)
    {
        Host = host;
        Site = site;
        SiteId = siteId;
        FinanceKey = financeKey;
    }

    public MonitorHost Host { get; }

    public string Site { get; }

    public Guid SiteId { get; }

    public string FinanceKey { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new site, its wallet (with these terms) and its offers.</summary>
    public static async Task<PaymentSite> CreateAsync(MonitorHost host, int requiredConfirmations = 1, int intentLifetimeMinutes = 15,
        int monitoringWindowHours = 24)
    {
        var api = host.Api;
        var site = $"pay-{Guid.NewGuid():N}"[..20];
        var created = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", new
        {
            key = site, name = "Harbor Times", domain = "harbor.example", corsOrigins = Array.Empty<string>(), defaultLanguage = "en",
        }, Ct);
        created.EnsureSuccessStatusCode();
        var finance = api.Client(await api.CreateKeyAsync("finance"));
        var wallet = await finance.PutAsJsonAsync($"/api/v1/admin/sites/{site}/wallet", new
        {
            network = "testnet", extendedPublicKey = Api.PaymentSite.AccountKey(Random.Shared.Next(1, int.MaxValue / 2)), requiredConfirmations, intentLifetimeMinutes, monitoringWindowHours,
        }, Ct);
        Assert.True(wallet.IsSuccessStatusCode, await wallet.Content.ReadAsStringAsync(Ct));
        var offers = await finance.PutAsJsonAsync($"/api/v1/admin/sites/{site}/offers", new
        {
            currency = "EUR", donation = new { min = 100, max = 100_000 },
        }, Ct);
        Assert.True(offers.IsSuccessStatusCode, await offers.Content.ReadAsStringAsync(Ct));
        var siteId = await host.StoreAsync(db => db.Sites.Where(s => s.Key == site).Select(s => s.Id).SingleAsync(Ct));
        return new PaymentSite(host, site, siteId, finance.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    /// <summary>A donation of <paramref name="amount"/> euro cents, created as a frontend does.</summary>
    public async Task<Intent> CreateIntentAsync(long amount = 500, MonitorHost? through = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{Site}/payment-intents")
        {
            Content = JsonContent.Create(new { purpose = "donation", amount }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await (through ?? Host).Api.Client().SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(System.Net.HttpStatusCode.Created == response.StatusCode, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("requiresPayment", body.GetProperty("status").GetString());
        return new Intent(body.GetProperty("id").GetGuid(), body.GetProperty("address").GetString()!, body.GetProperty("amountSats").GetInt64(),
            body.GetProperty("clientSecret").GetString()!);
    }

    /// <summary>The intent as finance reads it (<c>GET /api/v1/admin/payment-intents/{id}</c>).</summary>
    public async Task<IntentView> GetAsync(Intent intent, MonitorHost? through = null)
    {
        var response = await (through ?? Host).Api.Client(FinanceKey).GetAsync($"/api/v1/admin/payment-intents/{intent.Id}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return new IntentView(JsonDocument.Parse(text).RootElement);
    }

    public Task<int> EntitlementsAsync(Intent intent, MonitorHost? through = null) =>
        (through ?? Host).StoreAsync(db => db.Entitlements.CountAsync(e => e.PaymentIntentId == intent.Id, Ct));

    /// <summary>
    /// The types of the site's outbox events, oldest first; those of one commit (one poll) by type, as they share their
    /// time and their version 7 ids are not ordered within a millisecond.
    /// </summary>
    public async Task<List<string>> EventsAsync()
    {
        var events = await Host.StoreAsync(db => db.OutboxEvents.Where(e => e.SiteId == SiteId).Select(e => new { e.OccurredAt, e.Type }).ToListAsync(Ct));
        return [.. events.OrderBy(e => e.OccurredAt).ThenBy(e => e.Type, StringComparer.Ordinal).Select(e => e.Type)];
    }
}

/// <summary>A created intent: where to pay how much, and the secret its frontend reads it with.</summary>
public sealed record Intent(Guid Id, string Address, long AmountSats, string ClientSecret);

/// <summary>The admin view of an intent, with what the scenarios assert.</summary>
public sealed class IntentView(JsonElement body)
{
    public JsonElement Body { get; } = body;

    public string Status => Body.GetProperty("status").GetString()!;

    public string Exception => Body.GetProperty("exception").GetString()!;

    public long ReceivedSats => Body.GetProperty("receivedSats").GetInt64();

    public int Confirmations => Body.GetProperty("confirmations").GetInt32();

    public bool HasEntitlement => Body.GetProperty("entitlementId").ValueKind == JsonValueKind.String;

    public IReadOnlyList<JsonElement> Payments => [.. Body.GetProperty("payments").EnumerateArray()];

    /// <summary>Each history entry as "from→to/exception", or "alert:reason" for an alert.</summary>
    public IReadOnlyList<string> History => [.. Body.GetProperty("history").EnumerateArray().Select(h =>
        h.GetProperty("alert").ValueKind == JsonValueKind.String
            ? $"alert:{h.GetProperty("alert").GetString()}"
            : $"{(h.GetProperty("from").ValueKind == JsonValueKind.String ? h.GetProperty("from").GetString() : "")}→{h.GetProperty("to").GetString()}/{h.GetProperty("exception").GetString()}")];

    /// <summary>The live payments' values, in the order the API lists them.</summary>
    public IReadOnlyList<long> LiveValues => [.. Payments.Where(p => !p.GetProperty("gone").GetBoolean()).Select(p => p.GetProperty("valueSats").GetInt64())];

    public override string ToString() => Body.ToString();
}
