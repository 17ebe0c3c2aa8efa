using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Articles;

/// <summary>Authors, tags and sections of a site over HTTP.</summary>
public abstract class TaxonomyApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authors_have_generated_slugs_bios_and_avatars_and_read_back_with_an_etag()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/authors",
            new { name = "Zoë Ødegård", bio = "Covers the port.", avatarUrl = "https://cdn.example/zoe.jpg" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"{room.Admin}/authors/zoe-odegard", response.Headers.Location?.OriginalString);
        var read = await api.Admin().GetAsync($"{room.Admin}/authors/zoe-odegard", Ct);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        var author = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Zoë Ødegård", author.Str("name"));
        Assert.Equal("Covers the port.", author.Str("bio"));
        Assert.Equal("https://cdn.example/zoe.jpg", author.Str("avatarUrl"));
        Assert.False(author.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task Tags_and_sections_take_a_description_and_not_an_author_bio()
    {
        var room = await Newsroom.CreateAsync(api);

        var tag = await room.PostOkAsync($"{room.Admin}/tags", new { name = "Climate", description = "Weather and climate." });
        var bio = await api.Admin().PostAsJsonAsync($"{room.Admin}/sections", new { name = "Sport", bio = "x" }, Ct);

        Assert.Equal("climate", tag.Str("slug"));
        Assert.Equal("Weather and climate.", tag.Str("description"));
        await Problem.AssertAsync(bio, HttpStatusCode.BadRequest, "request.unknown_property");
    }

    [Theory]
    [InlineData("authors", "author")]
    [InlineData("tags", "tag")]
    [InlineData("sections", "section")]
    public async Task Slugs_are_unique_per_kind_generated_ones_get_a_suffix_and_explicit_ones_409(string path, string kind)
    {
        var room = await Newsroom.CreateAsync(api);

        var first = await room.PostOkAsync($"{room.Admin}/{path}", new { name = "Local Life" });
        var second = await room.PostOkAsync($"{room.Admin}/{path}", new { name = "Local life!" });
        var taken = await api.Admin().PostAsJsonAsync($"{room.Admin}/{path}", new { name = "Other", slug = "local-life" }, Ct);

        Assert.Equal("local-life", first.Str("slug"));
        Assert.Equal("local-life-2", second.Str("slug"));
        await Problem.AssertAsync(taken, HttpStatusCode.Conflict, $"{kind}.slug_taken");
        await Problem.AssertAsync(await api.Admin().GetAsync($"{room.Admin}/{path}/missing", Ct), HttpStatusCode.NotFound, $"{kind}.not_found");
    }

    [Fact]
    public async Task Renaming_a_term_shows_in_its_articles_and_a_stale_if_match_is_412()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();

        var renamed = await api.Admin().PutAsJsonAsync($"{room.Admin}/authors/jane-doe", new { name = "Jane Doe-Smith", slug = "jane-doe-smith" }, Ct);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"{room.Admin}/authors/jane-doe-smith")
        {
            Content = JsonContent.Create(new { name = "Again" }),
        };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("\"2\"", renamed.Headers.ETag?.ToString());
        var author = (await room.GetAsync(article.Id())).GetProperty("authors")[0];
        Assert.Equal("jane-doe-smith", author.Str("slug"));
        Assert.Equal("Jane Doe-Smith", author.Str("name"));
        await Problem.AssertAsync(await api.Admin().SendAsync(stale, Ct), HttpStatusCode.PreconditionFailed, "request.version_mismatch");
    }

    [Theory]
    [InlineData("tags", "transport", "tag")]
    [InlineData("authors", "jane-doe", "author")]
    [InlineData("sections", "news", "section")]
    public async Task Deleting_a_term_in_use_is_409_unless_forced_which_detaches_it(string path, string slug, string kind)
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync(Newsroom.Draft(authors: ["jane-doe", "john-roe"]));

        var refused = await api.Admin().DeleteAsync($"{room.Admin}/{path}/{slug}", Ct);
        await Problem.AssertAsync(refused, HttpStatusCode.Conflict, $"{kind}.in_use");
        Assert.Equal(HttpStatusCode.OK, (await api.Admin().GetAsync($"{room.Admin}/{path}/{slug}", Ct)).StatusCode);

        var forced = await api.Admin().DeleteAsync($"{room.Admin}/{path}/{slug}?force=true", Ct);

        Assert.Equal(HttpStatusCode.NoContent, forced.StatusCode);
        await Problem.AssertAsync(await api.Admin().GetAsync($"{room.Admin}/{path}/{slug}", Ct), HttpStatusCode.NotFound, $"{kind}.not_found");
        var detached = await room.GetAsync(article.Id());
        Assert.Equal(2, detached.Version());
        var remaining = kind == "section"
            ? detached.GetProperty("section").ValueKind == JsonValueKind.Null ? [] : new[] { "news" }
            : detached.GetProperty(path).EnumerateArray().Select(t => t.Str("slug")).ToArray();
        Assert.DoesNotContain(slug, remaining);
    }

    [Fact]
    public async Task Each_version_a_forced_term_deletion_gives_an_article_has_its_revision()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.PublishedAsync(Newsroom.Draft(tags: ["transport", "harbour"]));

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().DeleteAsync($"{room.Admin}/tags/transport?force=true", Ct)).StatusCode);

        var detached = await room.GetAsync(article.Id());
        var history = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{article.Id()}/revisions", Ct);
        var latest = history.GetProperty("items").EnumerateArray().MaxBy(r => r.GetProperty("number").GetInt32());
        Assert.Equal(3, detached.Version());
        Assert.Equal(detached.Version(), latest.GetProperty("number").GetInt32());
        Assert.Equal(["tags"], latest.GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        var snapshot = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{article.Id()}/revisions/3", Ct);
        Assert.Equal(["harbour"], snapshot.GetProperty("article").GetProperty("tags").EnumerateArray().Select(t => t.Str("slug")));
    }

    [Fact]
    public async Task A_term_used_only_by_deleted_articles_can_be_deleted_without_force()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync(Newsroom.Draft(tags: ["ephemeral"]));
        Assert.Equal(HttpStatusCode.NoContent, (await room.SendAsync(HttpMethod.Delete, $"{article.Id()}", 1)).StatusCode);

        var deleted = await api.Admin().DeleteAsync($"{room.Admin}/tags/ephemeral", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Lists_are_ordered_by_slug_and_paginated()
    {
        var room = await Newsroom.CreateAsync(api);
        foreach (var name in new[] { "Crime", "Arts", "Business" })
        {
            await room.PostOkAsync($"{room.Admin}/tags", new { name });
        }

        var first = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/tags?limit=2", Ct);
        var rest = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/tags?limit=2&cursor={first.Str("nextCursor")}", Ct);

        Assert.Equal(["arts", "business"], first.GetProperty("items").EnumerateArray().Select(t => t.Str("slug")));
        Assert.Equal(["crime"], rest.GetProperty("items").EnumerateArray().Select(t => t.Str("slug")));
        Assert.True(first.GetProperty("items")[0].TryGetProperty("description", out _));
        await Problem.AssertAsync(await api.Admin().GetAsync("/api/v1/admin/sites/no-such-site/tags", Ct), HttpStatusCode.NotFound, "site.not_found");
    }

    [Theory]
    [InlineData("{\"name\":\"\"}", "name")]
    [InlineData("{\"name\":\"x\",\"slug\":\"Bad Slug\"}", "slug")]
    [InlineData("{\"name\":\"x\",\"avatarUrl\":\"not a url\"}", "avatarUrl")]
    public async Task Invalid_author_fields_are_400_naming_the_field(string json, string field)
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Admin().PostAsync($"{room.Admin}/authors",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}

public sealed class SqliteTaxonomyApiTests(SqliteApi fixture) : TaxonomyApiTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlTaxonomyApiTests(PostgreSqlApi fixture) : TaxonomyApiTests(fixture.Api), IClassFixture<PostgreSqlApi>;
