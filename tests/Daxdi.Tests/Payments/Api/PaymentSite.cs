using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Payments.Api;

/// <summary>
/// A site of its own that sells a monthly membership, article unlocks and donations in EUR, on a testnet wallet of the
/// public BIP84 test-vector account (anyone can derive its keys; nothing of value is ever sent to it).
/// </summary>
public sealed class PaymentSite
{
    /// <summary>BIP84 test vector, coin type 1, account 0 ("abandon … about").</summary>
    public const string Vpub = "vpub5Y6cjg78GGuNLsaPhmYsiw4gYX3HoQiRBiSwDaBXKUafCt9bNwWQiitDk5VZ5BVxYnQdwoTyXSs2JHRPAgjAvtbBrf8ZhDYe2jWAqvZVnsc";

    /// <summary>Its first receive address on testnet (m/84'/1'/0'/0/0).</summary>
    public const string FirstAddress = "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl";

    private PaymentSite(ApiFactory api, string site)
    {
        Api = api;
        Site = site;
    }

    public ApiFactory Api { get; }

    public string Site { get; }

    public string Intents => $"/api/v1/sites/{Site}/payment-intents";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A new site; with <paramref name="configure"/>, its wallet and offers set through the finance API. The wallet is
    /// the vector's account <paramref name="account"/> (a random one by default: each site needs a key of its own).
    /// </summary>
    public static async Task<PaymentSite> CreateAsync(ApiFactory api, bool configure = true, int? account = null)
    {
        var room = new PaymentSite(api, $"pay-{Guid.NewGuid():N}"[..20]);
        var created = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", new
        {
            key = room.Site, name = "Harbor Times", domain = "harbor.example", corsOrigins = Array.Empty<string>(), defaultLanguage = "en",
        }, Ct);
        created.EnsureSuccessStatusCode();
        if (configure)
        {
            await ExpectAsync(await api.Admin().PutAsJsonAsync($"/api/v1/admin/sites/{room.Site}/wallet", new { network = "testnet", extendedPublicKey = AccountKey(account ?? Random.Shared.Next(1, int.MaxValue / 2)) }, Ct));
            await ExpectAsync(await api.Admin().PutAsJsonAsync($"/api/v1/admin/sites/{room.Site}/offers", new
            {
                currency = "EUR",
                membershipPlans = new[] { new { key = "monthly", name = "Monthly", price = 499, durationDays = 30 } },
                articleUnlockPrice = 199,
                donation = new { min = 100, max = 100_000 },
            }, Ct));
        }

        return room;
    }

    /// <summary>The testnet BIP84 account key m/84'/1'/<paramref name="account"/>' of the vector's mnemonic, as a tpub.</summary>
    public static string AccountKey(int account) => account == 0
        ? Vpub
        : new NBitcoin.Mnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")
            .DeriveExtKey().Derive(new NBitcoin.KeyPath($"m/84'/1'/{account}'")).Neuter().ToString(NBitcoin.Network.TestNet);

    /// <summary>POST an intent with <paramref name="key"/> as its Idempotency-Key (none when null).</summary>
    public async Task<HttpResponseMessage> CreateIntentAsync(object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Intents) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await Api.Client().SendAsync(request, Ct);
    }

    public async Task<JsonElement> NewDonationAsync(long amount = 500) =>
        await ExpectAsync(await CreateIntentAsync(new { purpose = "donation", amount }, Guid.NewGuid().ToString()));

    public async Task<HttpResponseMessage> GetIntentAsync(string id, string? secret, string? path = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Intents}/{id}{path}");
        if (secret is not null)
        {
            request.Headers.Add("X-Client-Secret", secret);
        }

        return await Api.Client().SendAsync(request, Ct);
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
