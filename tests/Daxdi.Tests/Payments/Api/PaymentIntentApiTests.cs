using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common.Idempotency;
using Daxdi.Tests.Support;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Payments.Api;

/// <summary>Wallet, offers and payment intents through the HTTP API, as a frontend and finance use them.</summary>
public abstract class PaymentIntentApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_testnet_vpub_is_stored_as_its_tpub_and_the_first_intent_pays_to_the_BIP84_vector_address()
    {
        var room = await PaymentSite.CreateAsync(api, account: 0);

        var wallet = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/wallet", Ct));
        Assert.Equal("testnet", wallet.GetProperty("network").GetString());
        Assert.StartsWith("tpub", wallet.GetProperty("extendedPublicKey").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, wallet.GetProperty("requiredConfirmations").GetInt32());
        Assert.Equal(15, wallet.GetProperty("intentLifetimeMinutes").GetInt32());
        Assert.Equal(0, wallet.GetProperty("gap").GetInt32());

        var intent = await room.NewDonationAsync(500);

        Assert.Equal(PaymentSite.FirstAddress, intent.GetProperty("address").GetString());
        Assert.Equal("requiresPayment", intent.GetProperty("status").GetString());
        Assert.Equal("none", intent.GetProperty("exception").GetString());
        // 5.00 EUR at the configured 40,500.00 EUR/BTC: 12,345.679… sats, rounded up once.
        Assert.Equal(12346, intent.GetProperty("amountSats").GetInt64());
        Assert.Equal(JsonValueKind.Number, intent.GetProperty("amountSats").ValueKind);
        Assert.Equal("0.00012346", intent.GetProperty("amountBtc").GetString());
        Assert.Equal("40500.00000000", intent.GetProperty("rate").GetString());
        Assert.Equal(500, intent.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", intent.GetProperty("currency").GetString());
        Assert.StartsWith($"bitcoin:{PaymentSite.FirstAddress}?amount=0.00012346", intent.GetProperty("bip21").GetString(), StringComparison.Ordinal);
        Assert.True(intent.GetProperty("clientSecret").GetString()!.Length >= 32);
        Assert.True(intent.GetProperty("expiresAt").GetDateTime() > DateTime.UtcNow.AddMinutes(14));
        var second = await room.NewDonationAsync(500);
        Assert.NotEqual(PaymentSite.FirstAddress, second.GetProperty("address").GetString());
        var after = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/wallet", Ct));
        Assert.Equal(2, after.GetProperty("nextIndex").GetInt32());
        Assert.Equal(2, after.GetProperty("gap").GetInt32());
    }

    [Theory]
    [InlineData("mainnet", PaymentSite.Vpub, "wallet.network_mismatch")]
    [InlineData("testnet", "tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK", "wallet.private_key_refused")]
    [InlineData("testnet", "not-a-key", "wallet.invalid_key")]
    public async Task A_wrong_network_a_private_key_or_garbage_is_refused_with_its_code_and_never_echoed(string network, string key, string code)
    {
        var room = await PaymentSite.CreateAsync(api, configure: false);

        var response = await api.Admin().PutAsJsonAsync($"/api/v1/admin/sites/{room.Site}/wallet", new { network, extendedPublicKey = key }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        // The key material (past its version prefix) is neither in the answer nor in the logs.
        var material = key.Length > 40 ? key[4..40] : key;
        Assert.DoesNotContain(material, text, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Logs, l => l.Text.Contains(material, StringComparison.Ordinal));
        var wallet = await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/wallet", Ct);
        Assert.Equal(HttpStatusCode.NotFound, wallet.StatusCode);
    }

    [Fact]
    public async Task A_key_another_sites_wallet_uses_is_refused()
    {
        var first = await PaymentSite.CreateAsync(api, account: 7_000_001);
        var second = await PaymentSite.CreateAsync(api, configure: false);

        var response = await api.Admin().PutAsJsonAsync($"/api/v1/admin/sites/{second.Site}/wallet",
            new { network = "testnet", extendedPublicKey = PaymentSite.AccountKey(7_000_001) }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("wallet.key_in_use", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.Admin().GetAsync($"/api/v1/admin/sites/{first.Site}/wallet", Ct)).StatusCode);
    }

    [Fact]
    public async Task Creation_needs_an_idempotency_key_and_replays_the_first_answer_for_the_same_body()
    {
        var room = await PaymentSite.CreateAsync(api);
        var body = new { purpose = "membership", planKey = "monthly", customerReference = "reader-17" };

        var missing = await room.CreateIntentAsync(body, key: null);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("idempotency.key_required", (await missing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());

        var key = Guid.NewGuid().ToString();
        var first = await room.CreateIntentAsync(body, key);
        var firstText = await first.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.True(first.Headers.CacheControl?.NoStore, "an answer with a client secret must not be stored by a cache");

        var again = await room.CreateIntentAsync(body, key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(firstText, await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.True(again.Headers.CacheControl?.NoStore);

        var other = await room.CreateIntentAsync(new { purpose = "membership", planKey = "monthly", customerReference = "reader-18" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency.key_reused", (await other.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());

        var list = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/payment-intents", Ct));
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_key_is_kept_a_day_and_only_a_purged_key_starts_a_new_operation()
    {
        var room = await PaymentSite.CreateAsync(api);
        var key = Guid.NewGuid().ToString();
        await PaymentSite.ExpectAsync(await room.CreateIntentAsync(new { purpose = "donation", amount = 700 }, key));
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDaxdiDbContext>();
        var record = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.Key == key, Ct);
        Assert.InRange(record.ExpiresAt - record.CreatedAt, TimeSpan.FromHours(24), TimeSpan.FromHours(24.01));
        Assert.DoesNotContain("clientSecret", record.ProtectedResponse, StringComparison.Ordinal);

        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        // A purge within the day keeps the key: the same request still replays.
        await sender.Send(new PurgeIdempotencyKeys(), Ct);
        Assert.True(await db.IdempotencyRecords.AnyAsync(r => r.Key == key, Ct));
        var replay = await room.CreateIntentAsync(new { purpose = "donation", amount = 700 }, key);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());

        await db.IdempotencyRecords.Where(r => r.Key == key)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)), Ct);
        Assert.True(await sender.Send(new PurgeIdempotencyKeys(), Ct) >= 1);
        Assert.False(await db.IdempotencyRecords.AnyAsync(r => r.Key == key, Ct));

        var again = await room.CreateIntentAsync(new { purpose = "donation", amount = 800 }, key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var list = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/payment-intents", Ct));
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Fifty_concurrent_identical_requests_create_one_intent_and_none_fails_with_a_server_error()
    {
        var room = await PaymentSite.CreateAsync(api);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => room.CreateIntentAsync(new { purpose = "donation", amount = 2500 }, key)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        var ids = await Task.WhenAll(created.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("idempotency.request_in_progress", (await conflict.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }

        var list = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/payment-intents", Ct));
        Assert.Single(list.GetProperty("items").EnumerateArray());
        var wallet = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/wallet", Ct));
        Assert.Equal(1, wallet.GetProperty("nextIndex").GetInt32());
    }

    [Fact]
    public async Task Concurrent_intents_with_distinct_keys_get_distinct_addresses()
    {
        var room = await PaymentSite.CreateAsync(api);

        var intents = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => room.NewDonationAsync(300)));

        Assert.Equal(30, intents.Select(i => i.GetProperty("address").GetString()).Distinct().Count());
        var wallet = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/wallet", Ct));
        Assert.Equal(30, wallet.GetProperty("nextIndex").GetInt32());
    }

    [Fact]
    public async Task An_intent_is_read_with_its_client_secret_only_and_polls_with_its_etag()
    {
        var room = await PaymentSite.CreateAsync(api);
        var intent = await room.NewDonationAsync();
        var id = intent.GetProperty("id").GetString()!;
        var secret = intent.GetProperty("clientSecret").GetString()!;

        var read = await room.GetIntentAsync(id, secret);
        var body = await PaymentSite.ExpectAsync(read);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.False(body.TryGetProperty("clientSecret", out _));
        Assert.NotNull(read.Headers.ETag);
        Assert.Contains("private", read.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        using var poll = new HttpRequestMessage(HttpMethod.Get, $"{room.Intents}/{id}");
        poll.Headers.Add("X-Client-Secret", secret);
        poll.Headers.IfNoneMatch.Add(read.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Client().SendAsync(poll, Ct)).StatusCode);

        var none = await room.GetIntentAsync(id, null);
        var wrong = await room.GetIntentAsync(id, secret[..^2] + "xx");
        var unknown = await room.GetIntentAsync(Guid.NewGuid().ToString(), secret);
        foreach (var response in new[] { none, wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("payment_intent.not_found", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }

        var qr = await room.GetIntentAsync(id, secret, "/qr.svg");
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await room.GetIntentAsync(id, null, "/qr.svg")).StatusCode);
    }

    [Theory]
    [InlineData("{\"purpose\":\"donation\",\"amount\":500,\"amountSats\":1}", 400, "request.unknown_property")]
    [InlineData("{\"purpose\":\"donation\",\"amount\":500,\"address\":\"tb1qxyz\"}", 400, "request.unknown_property")]
    [InlineData("{\"purpose\":\"donation\",\"amount\":50}", 400, "payment_intent.donation_out_of_bounds")]
    [InlineData("{\"purpose\":\"membership\",\"planKey\":\"weekly\"}", 400, "payment_intent.unknown_plan")]
    [InlineData("{\"purpose\":\"membership\",\"planKey\":\"monthly\",\"amount\":1}", 400, "request.validation_failed")]
    [InlineData("{\"purpose\":\"articleUnlock\",\"articleId\":\"0193a000-0000-7000-8000-000000000000\"}", 400, "payment_intent.article_not_found")]
    public async Task A_client_cannot_price_an_intent_itself_and_bad_purposes_have_their_codes(string body, int status, string code)
    {
        var room = await PaymentSite.CreateAsync(api);
        using var request = new HttpRequestMessage(HttpMethod.Post, room.Intents)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await api.Client().SendAsync(request, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        var list = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/payment-intents", Ct));
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Finance_cancels_an_unpaid_intent_marks_another_settled_with_a_reason_and_secrets_stay_out_of_lists_and_logs()
    {
        var room = await PaymentSite.CreateAsync(api);
        var unpaid = await room.NewDonationAsync();
        var settled = await room.NewDonationAsync(1000);
        var unpaidId = unpaid.GetProperty("id").GetString();
        var settledId = settled.GetProperty("id").GetString();

        var canceled = await PaymentSite.ExpectAsync(await api.Admin().PostAsJsonAsync($"/api/v1/admin/payment-intents/{unpaidId}/cancel", new { reason = "reader gave up" }, Ct));
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        var again = await api.Admin().PostAsJsonAsync($"/api/v1/admin/payment-intents/{unpaidId}/mark-settled", new { reason = "paid by bank" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("payment_intent.invalid_transition", (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());

        var noReason = await api.Admin().PostAsJsonAsync($"/api/v1/admin/payment-intents/{settledId}/mark-settled", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var marked = await PaymentSite.ExpectAsync(await api.Admin().PostAsJsonAsync($"/api/v1/admin/payment-intents/{settledId}/mark-settled", new { reason = "paid on a second address" }, Ct));
        Assert.Equal("succeeded", marked.GetProperty("status").GetString());
        Assert.Equal("marked", marked.GetProperty("exception").GetString());
        Assert.NotEqual(JsonValueKind.Null, marked.GetProperty("entitlementId").ValueKind);
        var last = marked.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("paid on a second address", last.GetProperty("reason").GetString());

        var succeeded = await PaymentSite.ExpectAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/{room.Site}/payment-intents?status=succeeded", Ct));
        Assert.Equal([settledId], succeeded.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var all = await api.Admin().GetStringAsync($"/api/v1/admin/sites/{room.Site}/payment-intents", Ct);
        var detail = await api.Admin().GetStringAsync($"/api/v1/admin/payment-intents/{settledId}", Ct);
        var logs = string.Join('\n', api.Logs.Select(l => l.Text));
        foreach (var secret in new[] { unpaid.GetProperty("clientSecret").GetString()!, settled.GetProperty("clientSecret").GetString()! })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, detail, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Payments_routes_are_finances_an_editor_is_refused()
    {
        var room = await PaymentSite.CreateAsync(api);
        var editor = api.Client(await api.CreateKeyAsync("editor"));

        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync($"/api/v1/admin/sites/{room.Site}/wallet", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync($"/api/v1/admin/sites/{room.Site}/payment-intents", Ct)).StatusCode);
        var finance = api.Client(await api.CreateKeyAsync("finance"));
        Assert.Equal(HttpStatusCode.OK, (await finance.GetAsync($"/api/v1/admin/sites/{room.Site}/wallet", Ct)).StatusCode);
    }
}

public sealed class SqlitePaymentIntentApiTests(SqliteApi fixture) : PaymentIntentApiTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlPaymentIntentApiTests(PostgreSqlApi fixture) : PaymentIntentApiTests(fixture.Api), IClassFixture<PostgreSqlApi>;
