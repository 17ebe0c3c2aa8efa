using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Application.Features.Delivery;
using Daxdi.Infrastructure.Delivery;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Delivery;

/// <summary>A new database with demo content on: a newsroom a frontend developer can build against at once.</summary>
public sealed class DemoContentTests : IAsyncLifetime
{
    private const string DemoTpub = "tpubDC8msFGeGuwnKG9Upg7DM2b4DaRqg3CUZa5g8v2SRQ6K4NSkxUgd7HsL2XVWbVm39yBA4LAxysQAm397zwQSQoQgewGiYZqrA9DsP4zbQ1M";

    private readonly ApiFactory _api = new(TestStore.Sqlite(), ("Seed:DemoContent", "true"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private async Task<JsonElement> GetJsonAsync(string url) => await _api.Client().GetFromJsonAsync<JsonElement>(url, Ct);

    [Fact]
    public async Task The_news_site_has_at_least_30_published_articles_across_sections_tags_and_authors()
    {
        var articles = (await GetJsonAsync("/api/v1/sites/daxdi/articles?limit=100")).GetProperty("items").EnumerateArray().ToList();
        var sections = (await GetJsonAsync("/api/v1/sites/daxdi/sections")).GetProperty("items").EnumerateArray().ToList();
        var authors = (await GetJsonAsync("/api/v1/sites/daxdi/authors")).GetProperty("items").EnumerateArray().ToList();
        var admin = await _api.Admin().GetFromJsonAsync<JsonElement>("/api/v1/admin/sites/daxdi/articles?status=draft", Ct);

        Assert.True(articles.Count >= 30, $"{articles.Count} published articles");
        Assert.True(sections.Count >= 4 && sections.All(s => s.GetProperty("articleCount").GetInt32() > 0));
        Assert.True(authors.Count >= 4 && authors.All(a => a.GetProperty("articleCount").GetInt32() > 0));
        Assert.True(articles.Select(a => a.GetProperty("publishedAt").GetDateTime()).SequenceEqual(
            articles.Select(a => a.GetProperty("publishedAt").GetDateTime()).OrderDescending()));
        Assert.True(admin.GetProperty("items").GetArrayLength() > 0, "drafts exist for the editorial side");
        Assert.True((await GetJsonAsync("/api/v1/sites/harbor-times/articles")).GetProperty("items").GetArrayLength() > 0);
    }

    [Fact]
    public async Task The_feature_story_has_a_full_layout_and_curated_recommendations()
    {
        var feature = (await GetJsonAsync("/api/v1/sites/daxdi/articles?limit=100&fields=slug,subtitle,featuredImage,source,seo"))
            .GetProperty("items").EnumerateArray()
            .First(a => a.GetProperty("source").ValueKind == JsonValueKind.Object && a.GetProperty("featuredImage").ValueKind == JsonValueKind.Object);
        var article = await GetJsonAsync($"/api/v1/sites/daxdi/articles/{feature.Str("slug")}");
        var recommendations = (await GetJsonAsync($"/api/v1/sites/daxdi/articles/{feature.Str("slug")}/recommendations"))
            .GetProperty("items").EnumerateArray().ToList();

        Assert.False(string.IsNullOrEmpty(article.Str("subtitle")));
        Assert.Contains("<h2>", article.Str("html"), StringComparison.Ordinal);
        Assert.True(article.GetProperty("wordCount").GetInt32() > 400);
        Assert.True(recommendations.Count(r => r.Str("reason") == "editors") >= 3);
        Assert.DoesNotContain(recommendations, r => r.Str("slug") == feature.Str("slug"));
    }

    [Fact]
    public async Task The_news_site_sells_memberships_unlocks_and_donations_on_the_public_testnet_test_vector_wallet()
    {
        var offers = await GetJsonAsync("/api/v1/sites/daxdi/offers");
        using var wallet = await _api.Admin().GetAsync("/api/v1/admin/sites/daxdi/wallet", Ct);
        var walletBody = await wallet.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var harborOffers = await _api.Client().GetAsync("/api/v1/sites/harbor-times/offers", Ct);
        var article = (await GetJsonAsync("/api/v1/sites/daxdi/articles?limit=1")).GetProperty("items")[0].Str("id");

        Assert.Equal("EUR", offers.Str("currency"));
        Assert.Equal(["monthly:500:30", "yearly:5000:365"], offers.GetProperty("membershipPlans").EnumerateArray()
            .Select(p => $"{p.Str("key")}:{p.GetProperty("price").GetInt64()}:{p.GetProperty("durationDays").GetInt32()}"));
        Assert.True(offers.GetProperty("articleUnlockPrice").GetInt64() > 0);
        Assert.Equal((100, 100_000), (offers.GetProperty("donation").GetProperty("min").GetInt64(), offers.GetProperty("donation").GetProperty("max").GetInt64()));
        Assert.Equal(System.Net.HttpStatusCode.OK, wallet.StatusCode);
        Assert.NotNull(wallet.Headers.ETag);
        Assert.Equal("testnet", walletBody.Str("network"));
        // BIP84's test vector at m/84'/1'/0', stored as ParseAccountKey normalises its vpub: anyone can derive its keys.
        Assert.Equal(DemoTpub, walletBody.Str("extendedPublicKey"));
        Assert.Equal((1, 0, 0), (walletBody.GetProperty("keyGeneration").GetInt32(), walletBody.GetProperty("nextIndex").GetInt32(),
            walletBody.GetProperty("gap").GetInt32()));
        Assert.Equal(JsonValueKind.Null, walletBody.GetProperty("gapWarning").ValueKind);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, harborOffers.StatusCode);
        Assert.Equal("offers.not_configured", (await harborOffers.Content.ReadFromJsonAsync<JsonElement>(Ct)).Str("code"));

        // The three purposes can be bought; the first intent gets the test vector's first receive address.
        object[] bodies = [new { purpose = "membership", planKey = "monthly" }, new { purpose = "articleUnlock", articleId = article },
            new { purpose = "donation", amount = 500 }];
        var addresses = new List<string>();
        foreach (var body in bodies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sites/daxdi/payment-intents") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var created = await _api.Client().SendAsync(request, Ct);
            var intent = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(created.StatusCode == System.Net.HttpStatusCode.Created, intent.ToString());
            Assert.Equal(("requiresPayment", "EUR"), (intent.Str("status"), intent.Str("currency")));
            addresses.Add(intent.Str("address"));
        }

        Assert.Equal("tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl", addresses[0]);
        Assert.Equal(3, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.StartsWith("tb1q", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_portable_search_used_on_sql_server_finds_and_ranks_like_the_engines()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var siteId = await db.Sites.Where(s => s.Key == "daxdi").Select(s => s.Id).SingleAsync(Ct);
        var titled = await db.Articles.Where(a => a.SiteId == siteId && a.Status == Domain.Articles.ArticleStatus.Published)
            .Select(a => new { a.Id, a.Title }).FirstAsync(Ct);
        var word = titled.Title.Split(' ').OrderByDescending(w => w.Length).First(w => w.All(char.IsLetter));

        var portable = await new PortableArticleSearch(db).SearchAsync(siteId, SearchQuery.Parse(word), 50, Ct);
        var excluded = await new PortableArticleSearch(db).SearchAsync(siteId, SearchQuery.Parse($"{word} -{word}"), 50, Ct);

        Assert.Contains(portable, h => h.ArticleId == titled.Id);
        Assert.True(portable.Select(h => h.Score).SequenceEqual(portable.Select(h => h.Score).OrderDescending()));
        Assert.Empty(excluded);
    }
}
