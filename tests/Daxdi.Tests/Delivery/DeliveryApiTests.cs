using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Delivery;

/// <summary>The public delivery API over HTTP, anonymous, on every store the environment provides.</summary>
public abstract class DeliveryApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTime Day = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await api.Client().GetAsync(url, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static string[] Slugs(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.Str("slug"))];

    [Fact]
    public async Task The_list_shows_only_published_articles_newest_first_without_bodies()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PublishedAsync(Newsroom.Draft(title: "Older story"), Day);
        await room.PublishedAsync(Newsroom.Draft(title: "Newer story"), Day.AddDays(1));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Draft story"));
        var archived = await room.PublishedAsync(Newsroom.Draft(title: "Archived story"), Day.AddDays(2));
        await room.ChangeAsync(HttpMethod.Post, $"{archived.Id()}/archive", 2);
        var scheduled = await room.CreateArticleAsync(Newsroom.Draft(title: "Scheduled story"));
        await room.ChangeAsync(HttpMethod.Post, $"{scheduled.Id()}/schedule", 1, new { at = DateTime.UtcNow.AddDays(1) });

        var page = await GetJsonAsync($"{room.Public}/articles");

        Assert.Equal(["newer-story", "older-story"], Slugs(page));
        var item = page.GetProperty("items")[0];
        Assert.False(item.TryGetProperty("html", out _));
        Assert.False(item.TryGetProperty("body", out _));
        Assert.False(item.TryGetProperty("status", out _));
        Assert.Equal("Jane Doe", item.GetProperty("authors")[0].Str("name"));
        Assert.Equal("news", item.GetProperty("section").Str("slug"));
        Assert.Equal(Day.AddDays(1), item.GetProperty("publishedAt").GetDateTime());
    }

    [Fact]
    public async Task Keyset_pages_cover_every_article_once_even_with_equal_publication_times()
    {
        var room = await Newsroom.CreateAsync(api);
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var a = await room.PublishedAsync(Newsroom.Draft(title: $"Story {i}"), i < 4 ? Day : Day.AddHours(i));
            expected.Add(a.Str("slug"));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetJsonAsync($"{room.Public}/articles?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(Slugs(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(expected.Order(), seen.Order());
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/articles?cursor=not-a-cursor", Ct), HttpStatusCode.BadRequest, "request.validation_failed");
        await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/articles?limit=101", Ct), HttpStatusCode.BadRequest, "request.validation_failed");
    }

    [Fact]
    public async Task The_list_filters_by_tag_author_section_language_and_date_range()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PublishedAsync(new { title = "Ferry strike", body = "<p>x</p>", authors = new[] { "john-roe" }, tags = new[] { "ferries" }, section = "news" }, Day);
        await room.PublishedAsync(new { title = "Budget vote", body = "<p>x</p>", authors = new[] { "jane-doe" }, tags = new[] { "politics" }, section = (string?)null }, Day.AddDays(10));
        await room.PublishedAsync(new { title = "Vote du budget", body = "<p>x</p>", authors = new[] { "jane-doe" }, tags = new[] { "politics" }, section = "news", language = "fr" }, Day.AddDays(20));

        Assert.Equal(["ferry-strike"], Slugs(await GetJsonAsync($"{room.Public}/articles?tag=ferries")));
        Assert.Equal(["vote-du-budget", "budget-vote"], Slugs(await GetJsonAsync($"{room.Public}/articles?author=jane-doe")));
        Assert.Equal(["vote-du-budget", "ferry-strike"], Slugs(await GetJsonAsync($"{room.Public}/articles?section=news")));
        Assert.Equal(["vote-du-budget"], Slugs(await GetJsonAsync($"{room.Public}/articles?language=fr")));
        Assert.Equal(["budget-vote"], Slugs(await GetJsonAsync($"{room.Public}/articles?from=2026-06-05T00:00:00Z&to=2026-06-15T00:00:00Z")));
        Assert.Empty(Slugs(await GetJsonAsync($"{room.Public}/articles?tag=politics&author=john-roe")));
        await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/articles?from=2026-07-01&to=2026-06-01", Ct),
            HttpStatusCode.BadRequest, "request.validation_failed");
        await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/articles?from=yesterday", Ct),
            HttpStatusCode.BadRequest, "request.invalid_parameter");
    }

    [Fact]
    public async Task Fields_select_a_subset_and_html_adds_the_body_and_unknown_fields_are_400()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PublishedAsync(Newsroom.Draft(body: "<p>Full <strong>body</strong></p>"));

        var narrow = (await GetJsonAsync($"{room.Public}/articles?fields=slug,title")).GetProperty("items")[0];
        var withBody = (await GetJsonAsync($"{room.Public}/articles?fields=slug,html,seo")).GetProperty("items")[0];
        var unknown = await api.Client().GetAsync($"{room.Public}/articles?fields=slug,password", Ct);

        Assert.Equal(["slug", "title"], narrow.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["html", "seo", "slug"], withBody.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("<p>Full <strong>body</strong></p>", withBody.Str("html"));
        var problem = await Problem.AssertAsync(unknown, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("fields", out _));
    }

    [Fact]
    public async Task Get_by_slug_returns_the_article_and_a_former_slug_redirects_301()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.PublishedAsync(Newsroom.Draft(title: "Bridge reopens", body: "<p>Open again.</p>"));
        await room.ChangeAsync(HttpMethod.Put, $"{article.Id()}", 2, Newsroom.Draft(title: "Bridge reopens", slug: "bridge-reopens-monday", body: "<p>Open again.</p>"));

        var current = await GetJsonAsync($"{room.Public}/articles/bridge-reopens-monday");
        var old = await api.Client().GetAsync($"{room.Public}/articles/bridge-reopens?x=1", Ct);

        Assert.Equal("<p>Open again.</p>", current.Str("html"));
        Assert.Equal("Jane Doe", current.GetProperty("authors")[0].Str("name"));
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal($"{room.Public}/articles/bridge-reopens-monday?x=1", old.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Unpublished_and_deleted_articles_answer_404_exactly_like_a_missing_one()
    {
        var room = await Newsroom.CreateAsync(api);
        var draft = await room.CreateArticleAsync(Newsroom.Draft(title: "Secret draft"));
        var scheduled = await room.CreateArticleAsync(Newsroom.Draft(title: "Secret scheduled"));
        await room.ChangeAsync(HttpMethod.Post, $"{scheduled.Id()}/schedule", 1, new { at = DateTime.UtcNow.AddDays(1) });
        var archived = await room.PublishedAsync(Newsroom.Draft(title: "Secret archived"));
        await room.ChangeAsync(HttpMethod.Post, $"{archived.Id()}/archive", 2);
        var deleted = await room.PublishedAsync(Newsroom.Draft(title: "Secret deleted"));
        await room.SendAsync(HttpMethod.Delete, $"{deleted.Id()}", 2);
        var renamedDraft = await room.CreateArticleAsync(Newsroom.Draft(title: "Secret old"));
        await room.ChangeAsync(HttpMethod.Put, $"{renamedDraft.Id()}", 1, Newsroom.Draft(title: "Secret old", slug: "secret-new"));

        async Task<string> NotFoundShape(string slug)
        {
            var body = await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/articles/{slug}", Ct), HttpStatusCode.NotFound, "article.not_found");
            await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/articles/{slug}/recommendations", Ct), HttpStatusCode.NotFound, "article.not_found");
            return $"{body.Str("title")}|{body.Str("detail").Replace(slug, "{slug}", StringComparison.Ordinal)}";
        }

        var missing = await NotFoundShape("never-existed");
        foreach (var slug in new[] { "secret-draft", "secret-scheduled", "secret-archived", "secret-deleted", "secret-old" })
        {
            Assert.Equal(missing, await NotFoundShape(slug));
        }
    }

    [Fact]
    public async Task Recommendations_are_the_published_curated_picks_then_articles_sharing_the_most_tags()
    {
        var room = await Newsroom.CreateAsync(api);
        var main = await room.PublishedAsync(Newsroom.Draft(title: "Main", tags: ["a", "b", "c"]), Day);
        var pickOne = await room.PublishedAsync(Newsroom.Draft(title: "Pick one", tags: ["z"]), Day);
        var pickTwo = await room.PublishedAsync(Newsroom.Draft(title: "Pick two", tags: ["a"]), Day);
        var unpublishedPick = await room.CreateArticleAsync(Newsroom.Draft(title: "Unpublished pick", tags: ["a", "b", "c"]));
        await room.PublishedAsync(Newsroom.Draft(title: "Shares two old", tags: ["a", "b"]), Day.AddDays(1));
        await room.PublishedAsync(Newsroom.Draft(title: "Shares two new", tags: ["b", "c"]), Day.AddDays(2));
        await room.PublishedAsync(Newsroom.Draft(title: "Shares one", tags: ["c", "y"]), Day.AddDays(3));
        await room.PublishedAsync(Newsroom.Draft(title: "Shares none", tags: ["y"]), Day.AddDays(4));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Draft shares all", tags: ["a", "b", "c"]));
        await room.ChangeAsync(HttpMethod.Put, $"{main.Id()}/recommendations", 2,
            new { articleIds = new[] { pickTwo.Id(), unpublishedPick.Id(), pickOne.Id() } });

        var all = (await GetJsonAsync($"{room.Public}/articles/main/recommendations?limit=10")).GetProperty("items").EnumerateArray().ToList();
        var three = (await GetJsonAsync($"{room.Public}/articles/main/recommendations?limit=3")).GetProperty("items");

        Assert.Equal(["pick-two", "pick-one", "shares-two-new", "shares-two-old", "shares-one"], all.Select(i => i.Str("slug")));
        Assert.Equal(["editors", "editors", "related", "related", "related"], all.Select(i => i.Str("reason")));
        Assert.Equal(3, three.GetArrayLength());
        await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/articles/main/recommendations?limit=21", Ct),
            HttpStatusCode.BadRequest, "request.validation_failed");
    }

    [Fact]
    public async Task Tags_authors_and_sections_carry_published_article_counts()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PublishedAsync(Newsroom.Draft(title: "One", tags: ["ferries"]));
        await room.PublishedAsync(Newsroom.Draft(title: "Two", tags: ["ferries", "strikes"], authors: ["jane-doe", "john-roe"]));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Draft", tags: ["ferries", "strikes"], authors: ["john-roe"]));

        var tags = (await GetJsonAsync($"{room.Public}/tags")).GetProperty("items").EnumerateArray().ToDictionary(t => t.Str("slug"), t => t.GetProperty("articleCount").GetInt32());
        var authors = (await GetJsonAsync($"{room.Public}/authors")).GetProperty("items").EnumerateArray().ToDictionary(t => t.Str("slug"), t => t.GetProperty("articleCount").GetInt32());
        var sections = (await GetJsonAsync($"{room.Public}/sections")).GetProperty("items").EnumerateArray().ToDictionary(t => t.Str("slug"), t => t.GetProperty("articleCount").GetInt32());

        Assert.Equal(2, tags["ferries"]);
        Assert.Equal(1, tags["strikes"]);
        Assert.Equal(2, authors["jane-doe"]);
        Assert.Equal(1, authors["john-roe"]);
        Assert.Equal(2, sections["news"]);
    }

    [Theory]
    [InlineData("/articles")]
    [InlineData("/articles/any")]
    [InlineData("/articles/any/recommendations")]
    [InlineData("/tags")]
    [InlineData("/authors")]
    [InlineData("/sections")]
    public async Task An_unknown_site_is_404_site_not_found(string path) =>
        await Problem.AssertAsync(await api.Client().GetAsync($"/api/v1/sites/no-such-site{path}", Ct), HttpStatusCode.NotFound, "site.not_found");

    [Fact]
    public async Task Responses_carry_a_strong_etag_cache_headers_and_surrogate_keys_and_answer_304()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.PublishedAsync();
        var url = $"{room.Public}/articles/{article.Str("slug")}";

        var first = await api.Client().GetAsync(url, Ct);
        var etag = first.Headers.ETag!;
        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await api.Client().SendAsync(conditional, Ct);
        var list = await api.Client().GetAsync($"{room.Public}/articles", Ct);

        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=60, stale-while-revalidate=300", first.Headers.CacheControl?.ToString());
        Assert.Contains("Origin", first.Headers.Vary);
        Assert.Equal($"site:{room.Site} article:{article.Id()}", string.Join(' ', first.Headers.GetValues("Surrogate-Key")));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Equal($"site:{room.Site} lists:{room.Site}", string.Join(' ', list.Headers.GetValues("Surrogate-Key")));
        Assert.NotEqual(etag, list.Headers.ETag);
    }

    [Fact]
    public async Task Search_ranks_title_matches_first_and_supports_phrases_or_exclusion_and_prefixes()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PublishedAsync(Newsroom.Draft(title: "Council meets", body: "<p>The ferry company joined the meeting about harbour fees.</p>"), Day);
        await room.PublishedAsync(Newsroom.Draft(title: "Ferry timetable changes", body: "<p>Winter sailings start early.</p>"), Day.AddDays(1));
        await room.PublishedAsync(Newsroom.Draft(title: "Weekend markets", body: "<p>Stalls by the harbour wall sell fresh fish.</p>"), Day.AddDays(2));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Ferry draft", body: "<p>ferry ferry ferry</p>"));

        async Task<string[]> Search(string q) => Slugs(await GetJsonAsync($"{room.Public}/articles?q={Uri.EscapeDataString(q)}"));

        Assert.Equal(["ferry-timetable-changes", "council-meets"], await Search("ferry"));
        Assert.Equal(["council-meets"], await Search("\"harbour fees\""));
        Assert.Equal(["weekend-markets"], await Search("harbour -ferry"));
        Assert.Equal(["ferry-timetable-changes", "weekend-markets"], (await Search("sailings OR stalls")).Order());
        Assert.Equal(["weekend-markets"], await Search("stal*"));
        Assert.Empty(await Search("volcano"));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("OR ferry")]
    [InlineData("ferry OR")]
    [InlineData("-ferry")]
    public async Task A_malformed_search_is_400_never_500(string q)
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Client().GetAsync($"{room.Public}/articles?q={Uri.EscapeDataString(q)}", Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Theory]
    [InlineData("ferry ( ) { } ^ : *", 200, 1)]
    [InlineData("ferry*\"news\"", 200, 1)]
    [InlineData("ferry AND ( NEAR(", 200, 0)]
    [InlineData("\"\"", 400, 0)]
    public async Task Engine_operators_typed_by_readers_are_plain_text(string q, int status, int matches)
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PublishedAsync(Newsroom.Draft(title: "Ferry news"));

        var response = await api.Client().GetAsync($"{room.Public}/articles?q={Uri.EscapeDataString(q)}", Ct);

        // Punctuation is ignored; AND, NEAR and NOT are words to look for, not operators; nothing left to search is a 400.
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        if (status == 200)
        {
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(matches, page.GetProperty("items").GetArrayLength());
        }
        else
        {
            await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        }
    }

    [Fact]
    public async Task The_search_index_follows_publish_edit_unpublish_and_delete()
    {
        var room = await Newsroom.CreateAsync(api);
        var draft = await room.CreateArticleAsync(Newsroom.Draft(title: "Lighthouse restored", body: "<p>Keepers cottage reopens.</p>"));
        var id = draft.Id();
        async Task<string[]> Search(string q) => Slugs(await GetJsonAsync($"{room.Public}/articles?q={q}"));

        Assert.Empty(await Search("lighthouse"));
        await room.ChangeAsync(HttpMethod.Post, $"{id}/publish", 1);
        Assert.Equal(["lighthouse-restored"], await Search("lighthouse"));

        await room.ChangeAsync(HttpMethod.Put, $"{id}", 2, Newsroom.Draft(title: "Beacon restored", body: "<p>Keepers cottage reopens.</p>"));
        Assert.Empty(await Search("lighthouse"));
        Assert.Equal(["lighthouse-restored"], await Search("beacon"));

        await room.ChangeAsync(HttpMethod.Post, $"{id}/unpublish", 3);
        Assert.Empty(await Search("beacon"));
        await room.ChangeAsync(HttpMethod.Post, $"{id}/publish", 4);
        Assert.Equal(["lighthouse-restored"], await Search("cottage"));

        await room.SendAsync(HttpMethod.Delete, $"{id}", 5);
        Assert.Empty(await Search("cottage"));
    }

    [Fact]
    public async Task Cors_allows_the_site_origins_only()
    {
        var key = $"cors-{Guid.NewGuid():N}"[..20];
        (await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", new
        {
            key, name = "Cors", domain = "cors.example", corsOrigins = new[] { "https://cors.example" }, defaultLanguage = "en",
        }, Ct)).EnsureSuccessStatusCode();

        async Task<HttpResponseMessage> From(string origin, HttpMethod? method = null)
        {
            var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"/api/v1/sites/{key}/articles");
            request.Headers.Add("Origin", origin);
            if (method == HttpMethod.Options)
            {
                request.Headers.Add("Access-Control-Request-Method", "GET");
                request.Headers.Add("Access-Control-Request-Headers", "if-none-match");
            }

            return await api.Client().SendAsync(request, Ct);
        }

        var allowed = await From("https://cors.example");
        var other = await From("https://evil.example");
        var preflight = await From("https://cors.example", HttpMethod.Options);

        Assert.Equal("https://cors.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", allowed.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://cors.example", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}

public sealed class SqliteDeliveryApiTests(SqliteApi fixture) : DeliveryApiTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlDeliveryApiTests(PostgreSqlApi fixture) : DeliveryApiTests(fixture.Api), IClassFixture<PostgreSqlApi>;
