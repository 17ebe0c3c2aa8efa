using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Payments.Api;

/// <summary>
/// Intent creation over HTTP on the demo site (its offers and testnet wallet), as docs/api/payments.md describes it to a
/// frontend: the Idempotency-Key rules, then polling with the client secret and the QR code.
/// </summary>
public sealed class PaymentIntentIdempotencyTests : IAsyncLifetime
{
    private const string Intents = "/api/v1/sites/daxdi/payment-intents";

    private readonly ApiFactory _api = new(TestStore.Sqlite(), ("Seed:DemoContent", "true"), ("RateLimits:PaymentIntents:PermitLimit", "1000"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private async Task<HttpResponseMessage> CreateAsync(string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Intents) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await _api.Client().SendAsync(request, Ct);
    }

    private async Task<int> NextIndexAsync() =>
        (await _api.Admin().GetFromJsonAsync<JsonElement>("/api/v1/admin/sites/daxdi/wallet", Ct)).GetProperty("nextIndex").GetInt32();

    private static async Task<string> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Str("code");

    [Fact]
    public async Task Create_without_an_idempotency_key_answers_400_key_required_and_takes_no_address()
    {
        var before = await NextIndexAsync();

        using var missing = await CreateAsync("""{"purpose":"donation","amount":500}""", key: null);
        using var blank = await CreateAsync("""{"purpose":"donation","amount":500}""", key: " ");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal("idempotency.key_required", await CodeAsync(missing));
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal(before, await NextIndexAsync());
    }

    [Fact]
    public async Task The_same_key_and_body_replay_the_first_answer_even_with_the_metadata_in_another_order()
    {
        var key = Guid.NewGuid().ToString();
        var before = await NextIndexAsync();

        using var first = await CreateAsync("""{"purpose":"membership","planKey":"yearly","metadata":{"campaign":"winter","source":"newsletter"}}""", key);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        using var again = await CreateAsync("""{ "metadata": {"source":"newsletter","campaign":"winter"}, "planKey":"yearly", "purpose":"membership" }""", key);
        var againBody = await again.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(firstBody, againBody);
        Assert.StartsWith("pis_", JsonDocument.Parse(againBody).RootElement.Str("clientSecret"), StringComparison.Ordinal);
        Assert.Equal(before + 1, await NextIndexAsync());
    }

    [Fact]
    public async Task The_same_key_with_another_body_answers_422_key_reused_and_another_key_makes_another_intent()
    {
        var key = Guid.NewGuid().ToString();

        using var first = await CreateAsync("""{"purpose":"donation","amount":500}""", key);
        using var other = await CreateAsync("""{"purpose":"donation","amount":501}""", key);
        using var fresh = await CreateAsync("""{"purpose":"donation","amount":500}""", Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency.key_reused", await CodeAsync(other));
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        var (a, b) = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct), await fresh.Content.ReadFromJsonAsync<JsonElement>(Ct));
        Assert.NotEqual(a.Str("id"), b.Str("id"));
        Assert.NotEqual(a.Str("address"), b.Str("address"));
    }

    [Fact]
    public async Task A_frontend_polls_with_its_client_secret_and_if_none_match_and_a_wrong_secret_is_404()
    {
        using var created = await CreateAsync("""{"purpose":"donation","amount":2500}""", Guid.NewGuid().ToString());
        var intent = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var path = created.Headers.Location!.OriginalString;

        using var poll = new HttpRequestMessage(HttpMethod.Get, path);
        poll.Headers.Add("X-Client-Secret", intent.Str("clientSecret"));
        using var polled = await _api.Client().SendAsync(poll, Ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.Add("X-Client-Secret", intent.Str("clientSecret"));
        again.Headers.IfNoneMatch.Add(polled.Headers.ETag!);
        using var unchanged = await _api.Client().SendAsync(again, Ct);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, path);
        wrong.Headers.Add("X-Client-Secret", "pis_" + new string('A', 43));
        using var refused = await _api.Client().SendAsync(wrong, Ct);
        using var anonymous = await _api.Client().GetAsync(path, Ct);
        using var qr = new HttpRequestMessage(HttpMethod.Get, path + "/qr.svg");
        qr.Headers.Add("X-Client-Secret", intent.Str("clientSecret"));
        using var svg = await _api.Client().SendAsync(qr, Ct);

        Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
        Assert.NotNull(polled.Headers.ETag);
        Assert.True(polled.Headers.CacheControl is { Private: true, NoCache: true, Public: false });
        var body = await polled.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("requiresPayment", intent.Str("address")), (body.Str("status"), body.Str("address")));
        Assert.False(body.TryGetProperty("clientSecret", out _));
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("payment_intent.not_found", await CodeAsync(refused));
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal("payment_intent.not_found", await CodeAsync(anonymous));
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
