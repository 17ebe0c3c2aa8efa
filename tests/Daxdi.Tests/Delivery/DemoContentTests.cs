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
