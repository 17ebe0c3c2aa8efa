using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Events;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Articles;

/// <summary>
/// What an archive import uses: a create that publishes at once (<c>?publish=true</c>), and batches of up to 100
/// articles in one all-or-nothing commit.
/// </summary>
public abstract class ArchiveImportTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_create_with_publish_is_live_at_once_as_one_version_one_revision_and_one_event()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await room.CreateAsync(Newsroom.Draft(title: "Night trains return"), publish: true,
            publishedAt: new DateTime(2019, 5, 1, 6, 30, 0, DateTimeKind.Utc));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        var article = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("published", article.Str("status"));
        Assert.Equal(new DateTime(2019, 5, 1, 6, 30, 0, DateTimeKind.Utc), article.GetProperty("publishedAt").GetDateTime().ToUniversalTime());
        var revisions = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{article.Id()}/revisions", Ct);
        Assert.Equal(1, revisions.GetProperty("items").GetArrayLength());
        var read = await api.Client().GetAsync($"{room.Public}/articles/night-trains-return", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(["article.published"], (await OutboxTests.EventsAsync(api, room.Site)).Select(e => e.Type));
    }

    [Fact]
    public async Task Publishing_on_create_is_for_editors_and_a_date_needs_it()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PostOkAsync($"{room.Admin}/tags", new { name = "Transport" });
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));

        await Problem.AssertAsync(await room.CreateAsync(Newsroom.Draft(), publish: true, client: jane),
            HttpStatusCode.Forbidden, "article.editor_required");
        await Problem.AssertAsync(await room.CreateAsync(Newsroom.Draft(), publishedAt: DateTime.UtcNow),
            HttpStatusCode.BadRequest, "request.validation_failed");

        var list = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/articles", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_batch_creates_every_article_as_a_single_create_would_in_the_order_sent()
    {
        var room = await Newsroom.CreateAsync(api);
        var items = new object[]
        {
            new { article = Newsroom.Draft(title: "Tram line opens", tags: ["Trams"]), publishedAt = new DateTime(2018, 3, 1, 0, 0, 0, DateTimeKind.Utc) },
            new { article = Newsroom.Draft(title: "Tram line opens", tags: ["Trams", "City"]) },
            new { article = Newsroom.Draft(title: "Bus fares rise", body: "<p>Fares rise.</p><script>alert(1)</script>") },
        };

        var created = await room.BatchAsync(items, publish: true);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var answered = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["tram-line-opens", "tram-line-opens-2", "bus-fares-rise"], answered.Select(a => a.Str("slug")));
        Assert.All(answered, a => Assert.Equal("published", a.Str("status")));
        Assert.All(answered, a => Assert.Equal(1, a.Version()));
        Assert.Equal(new DateTime(2018, 3, 1, 0, 0, 0, DateTimeKind.Utc), answered[0].GetProperty("publishedAt").GetDateTime().ToUniversalTime());

        var tags = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/tags", Ct);
        Assert.Equal(1, tags.GetProperty("items").EnumerateArray().Count(t => t.Str("slug") == "trams"));
        var second = await room.GetAsync(answered[1].Id());
        Assert.Equal(["trams", "city"], second.GetProperty("tags").EnumerateArray().Select(t => t.Str("slug")));
        var bus = await api.Client().GetFromJsonAsync<JsonElement>($"{room.Public}/articles/bus-fares-rise", Ct);
        Assert.DoesNotContain("<script", bus.Str("html"), StringComparison.Ordinal);
        Assert.Equal(3, (await OutboxTests.EventsAsync(api, room.Site)).Count(e => e.Type == "article.published"));
    }

    [Fact]
    public async Task A_batch_with_one_bad_article_stores_none_and_names_the_item()
    {
        var room = await Newsroom.CreateAsync(api);
        var invalid = await room.BatchAsync(
        [
            new { article = Newsroom.Draft(title: "Fine story", tags: ["Brand new tag"]) },
            new { article = Newsroom.Draft(title: "", authors: ["nobody"]) },
        ]);
        var unknownAuthor = await room.BatchAsync(
        [
            new { article = Newsroom.Draft(title: "Fine story") },
            new { article = Newsroom.Draft(title: "Who wrote this", authors: ["nobody"]) },
        ]);
        var sameSlug = await room.BatchAsync(
        [
            new { article = Newsroom.Draft(title: "One", slug: "same") },
            new { article = Newsroom.Draft(title: "Two", slug: "same") },
        ]);

        var problem = await Problem.AssertAsync(invalid, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("items[1].article.title", out _), problem.ToString());
        problem = await Problem.AssertAsync(unknownAuthor, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("items[1].article.authors[0]", out _), problem.ToString());
        problem = await Problem.AssertAsync(sameSlug, HttpStatusCode.Conflict, "article.slug_taken");
        Assert.StartsWith("items[1]: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var list = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/articles", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        var tags = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/tags", Ct);
        Assert.DoesNotContain(tags.GetProperty("items").EnumerateArray(), t => t.Str("slug") == "brand-new-tag");
        Assert.Empty(await OutboxTests.EventsAsync(api, room.Site));
    }

    [Fact]
    public async Task A_batch_is_for_editors_holds_1_to_100_articles_and_dates_only_what_it_publishes()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PostOkAsync($"{room.Admin}/tags", new { name = "Transport" });
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
        var one = new { article = Newsroom.Draft() };

        await Problem.AssertAsync(await room.BatchAsync([one], client: jane), HttpStatusCode.Forbidden, "article.editor_required");
        await Problem.AssertAsync(await room.BatchAsync([]), HttpStatusCode.BadRequest, "request.validation_failed");
        await Problem.AssertAsync(await room.BatchAsync([.. Enumerable.Repeat<object>(one, 101)]), HttpStatusCode.BadRequest, "request.validation_failed");
        await Problem.AssertAsync(await room.BatchAsync([new { article = Newsroom.Draft(), publishedAt = DateTime.UtcNow }]),
            HttpStatusCode.BadRequest, "request.validation_failed");

        var drafts = await room.BatchAsync([one, one]);
        Assert.Equal(HttpStatusCode.OK, drafts.StatusCode);
        var items = (await drafts.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items");
        Assert.All(items.EnumerateArray(), a => Assert.Equal("draft", a.Str("status")));
        Assert.Empty(await OutboxTests.EventsAsync(api, room.Site));
    }
}

public sealed class SqliteArchiveImportTests(SqliteApi fixture) : ArchiveImportTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlArchiveImportTests(PostgreSqlApi fixture) : ArchiveImportTests(fixture.Api), IClassFixture<PostgreSqlApi>;
