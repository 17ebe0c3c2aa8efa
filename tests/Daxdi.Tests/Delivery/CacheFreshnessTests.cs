using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Api.Hosting.Delivery;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Delivery;

/// <summary>
/// The output cache serves public reads until the content changes, and every kind of change evicts what it affects:
/// a read right after a change never shows the old state. Each test first checks that the output cache holds the reads
/// the change must evict (a read of a response the cache does not hold proves nothing about eviction), so none of them
/// passes with the output cache off.
/// </summary>
public sealed class CacheFreshnessTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiFactory Api => fixture.Api;

    private async Task<JsonElement> GetJsonAsync(string url) =>
        await Api.Client().GetFromJsonAsync<JsonElement>(url, Ct);

    /// <summary>The output cache sends <c>Age</c> on the responses it answers, and only on those.</summary>
    private static bool FromCache(HttpResponseMessage response) => response.Headers.Age is not null;

    /// <summary>Reads each URL again and checks that the output cache answered.</summary>
    private async Task AssertCachedAsync(params string[] urls)
    {
        foreach (var url in urls)
        {
            Assert.True(FromCache(await Api.Client().GetAsync(url, Ct)), $"{url} was not served from the output cache.");
        }
    }

    /// <summary>
    /// Changes a title behind the API's back, in the article and in its stored document (removed, so that a read renders
    /// the article), so only a cache hit can still show the old one.
    /// </summary>
    private async Task RetitleInStoreAsync(Guid id, string title)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        await db.Articles.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Title, title), Ct);
        await db.PublishedArticleDocuments.Where(d => d.ArticleId == id).ExecuteDeleteAsync(Ct);
    }

    [Fact]
    public async Task Public_reads_are_served_from_the_output_cache_until_a_change_evicts_them()
    {
        var room = await Newsroom.CreateAsync(Api);
        var article = await room.PublishedAsync(Newsroom.Draft(title: "Cached title"));
        var url = $"{room.Public}/articles/{article.Str("slug")}";
        Assert.Equal("Cached title", (await GetJsonAsync(url)).Str("title"));

        await RetitleInStoreAsync(article.Id(), "Changed behind the cache");

        Assert.Equal("Cached title", (await GetJsonAsync(url)).Str("title"));
        await room.ChangeAsync(HttpMethod.Put, $"{article.Id()}", 2, Newsroom.Draft(title: "Edited title"));
        Assert.Equal("Edited title", (await GetJsonAsync(url)).Str("title"));
    }

    [Fact]
    public async Task A_read_that_began_before_a_change_cannot_store_its_old_response_after_the_eviction()
    {
        var store = Api.Services.GetRequiredService<IOutputCacheStore>();
        var generation = Api.Services.GetRequiredService<CacheGeneration>();
        var began = CacheGeneration.Tag(generation.Current);

        // A change commits and evicts while the read is still running; then the read stores what it had read.
        generation.Advance();
        await store.SetAsync("late-read", [1], [began, "site:late"], TimeSpan.FromMinutes(5), Ct);
        await store.SetAsync("read-after-the-change", [2], [CacheGeneration.Tag(generation.Current), "site:late"], TimeSpan.FromMinutes(5), Ct);

        Assert.Null(await store.GetAsync("late-read", Ct));
        Assert.Equal([2], await store.GetAsync("read-after-the-change", Ct));
    }

    [Fact]
    public async Task Publishing_shows_at_once_in_lists_search_counts_and_by_slug()
    {
        var room = await Newsroom.CreateAsync(Api);
        var draft = await room.CreateArticleAsync(Newsroom.Draft(title: "Lighthouse keeper retires", tags: ["maritime"]));
        var warm = await WarmAsync(room, "lighthouse-keeper-retires");
        // The draft's 404 is not cached: only the lists have something to evict.
        Assert.True(warm.ListsFromCache);

        await room.ChangeAsync(HttpMethod.Post, $"{draft.Id()}/publish", 1);

        var after = await ReadAllAsync(room, "lighthouse-keeper-retires");
        Assert.Equal(0, warm.ListCount);
        Assert.Equal(1, after.ListCount);
        Assert.Equal(1, after.SearchCount);
        Assert.Equal(1, after.TagCount);
        Assert.Equal(HttpStatusCode.OK, after.SlugStatus);
    }

    [Fact]
    public async Task Unpublishing_and_deleting_remove_an_article_from_every_cached_read()
    {
        var room = await Newsroom.CreateAsync(Api);
        var gone = await room.PublishedAsync(Newsroom.Draft(title: "Harbour gala", tags: ["maritime"]));
        var deleted = await room.PublishedAsync(Newsroom.Draft(title: "Harbour regatta", tags: ["maritime"]));
        var warm = await WarmAsync(room, "harbour-gala");
        var regatta = $"{room.Public}/articles/harbour-regatta";
        await GetJsonAsync(regatta);
        await AssertCachedAsync(regatta);
        Assert.True(warm.ListsFromCache);
        Assert.True(warm.SlugFromCache);
        Assert.Equal(2, warm.ListCount);

        await room.ChangeAsync(HttpMethod.Post, $"{gone.Id()}/unpublish", 2);
        await room.SendAsync(HttpMethod.Delete, $"{deleted.Id()}", 2);

        var after = await ReadAllAsync(room, "harbour-gala");
        Assert.Equal(0, after.ListCount);
        Assert.Equal(0, after.SearchCount);
        Assert.Equal(0, after.TagCount);
        Assert.Equal(HttpStatusCode.NotFound, after.SlugStatus);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Client().GetAsync(regatta, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_recommendation_change_shows_at_once()
    {
        var room = await Newsroom.CreateAsync(Api);
        var main = await room.PublishedAsync(Newsroom.Draft(title: "Main story", tags: ["only-main"]));
        var pick = await room.PublishedAsync(Newsroom.Draft(title: "Editors pick", tags: ["other"]));
        var url = $"{room.Public}/articles/main-story/recommendations";
        Assert.Equal(0, (await GetJsonAsync(url)).GetProperty("items").GetArrayLength());
        await AssertCachedAsync(url);

        await room.ChangeAsync(HttpMethod.Put, $"{main.Id()}/recommendations", 2, new { articleIds = new[] { pick.Id() } });

        Assert.Equal("editors-pick", (await GetJsonAsync(url)).GetProperty("items")[0].Str("slug"));
    }

    [Fact]
    public async Task A_taxonomy_rename_shows_at_once_in_articles_lists_and_taxonomy()
    {
        var room = await Newsroom.CreateAsync(Api);
        var article = await room.PublishedAsync();
        var slugUrl = $"{room.Public}/articles/{article.Str("slug")}";
        Assert.Equal("Jane Doe", (await GetJsonAsync(slugUrl)).GetProperty("authors")[0].Str("name"));
        await GetJsonAsync($"{room.Public}/articles");
        await GetJsonAsync($"{room.Public}/authors");
        await AssertCachedAsync(slugUrl, $"{room.Public}/articles", $"{room.Public}/authors");

        (await Api.Admin().PutAsJsonAsync($"{room.Admin}/authors/jane-doe", new { name = "Jane Doe-Okafor" }, Ct)).EnsureSuccessStatusCode();

        Assert.Equal("Jane Doe-Okafor", (await GetJsonAsync(slugUrl)).GetProperty("authors")[0].Str("name"));
        Assert.Equal("Jane Doe-Okafor", (await GetJsonAsync($"{room.Public}/articles")).GetProperty("items")[0].GetProperty("authors")[0].Str("name"));
        Assert.Contains((await GetJsonAsync($"{room.Public}/authors")).GetProperty("items").EnumerateArray(), a => a.Str("name") == "Jane Doe-Okafor");
    }

    [Fact]
    public async Task A_slug_change_redirects_the_old_slug_at_once()
    {
        var room = await Newsroom.CreateAsync(Api);
        var article = await room.PublishedAsync(Newsroom.Draft(title: "First name"));
        Assert.Equal(HttpStatusCode.OK, (await Api.Client().GetAsync($"{room.Public}/articles/first-name", Ct)).StatusCode);
        await AssertCachedAsync($"{room.Public}/articles/first-name");

        await room.ChangeAsync(HttpMethod.Put, $"{article.Id()}", 2, Newsroom.Draft(title: "First name", slug: "second-name"));

        Assert.Equal(HttpStatusCode.MovedPermanently, (await Api.Client().GetAsync($"{room.Public}/articles/first-name", Ct)).StatusCode);
    }

    /// <summary>What the list, search, tag and by-slug reads show, and whether the output cache answered them.</summary>
    private sealed record Reads(int ListCount, int SearchCount, int TagCount, HttpStatusCode SlugStatus, bool ListsFromCache, bool SlugFromCache);

    private async Task<Reads> WarmAsync(Newsroom room, string slug)
    {
        // Twice, so the second read is a cache hit if caching works at all.
        await ReadAllAsync(room, slug);
        return await ReadAllAsync(room, slug);
    }

    private async Task<Reads> ReadAllAsync(Newsroom room, string slug)
    {
        var list = await Api.Client().GetAsync($"{room.Public}/articles", Ct);
        var search = await Api.Client().GetAsync($"{room.Public}/articles?q=harbour%20OR%20lighthouse", Ct);
        var tags = await Api.Client().GetAsync($"{room.Public}/tags", Ct);
        var bySlug = await Api.Client().GetAsync($"{room.Public}/articles/{slug}", Ct);
        var maritime = (await tags.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray()
            .Where(t => t.Str("slug") == "maritime").Select(t => t.GetProperty("articleCount").GetInt32()).SingleOrDefault();
        return new Reads(await CountAsync(list), await CountAsync(search), maritime, bySlug.StatusCode,
            FromCache(list) && FromCache(search) && FromCache(tags), FromCache(bySlug));
    }

    private static async Task<int> CountAsync(HttpResponseMessage page) =>
        (await page.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").GetArrayLength();
}
