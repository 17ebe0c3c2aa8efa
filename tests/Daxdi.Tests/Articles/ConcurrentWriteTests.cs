using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Articles;

/// <summary>
/// Requests that race to create the same unique thing (a generated slug, a tag named on first use) over real HTTP:
/// every one gets the answer it would get had they run one after another, never a 409 <c>request.conflict</c>.
/// </summary>
public abstract class ConcurrentWriteTests(ApiFactory api)
{
    private const int Writers = 16;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Parallel_creates_of_one_title_without_a_slug_all_get_201_and_the_next_free_suffix()
    {
        var room = await Newsroom.CreateAsync(api);

        var responses = await InParallel(_ => room.CreateAsync(Newsroom.Draft(title: "Storm closes the harbour", tags: [])));

        var slugs = await SlugsOfAsync(responses);
        Assert.Equal(Enumerable.Range(1, Writers).Select(n => n == 1 ? "storm-closes-the-harbour" : $"storm-closes-the-harbour-{n}").Order(),
            slugs.Order());
    }

    [Fact]
    public async Task Parallel_creates_naming_the_same_new_tag_all_get_201_and_share_one_tag()
    {
        var room = await Newsroom.CreateAsync(api);

        var responses = await InParallel(n => room.CreateAsync(Newsroom.Draft(title: $"Storm report {n}", tags: ["Harbour Storm"])));

        foreach (var body in await BodiesAsync(responses, HttpStatusCode.Created))
        {
            Assert.Equal(["harbour-storm"], body.GetProperty("tags").EnumerateArray().Select(t => t.Str("slug")));
        }

        Assert.Equal(["harbour-storm"], await TagSlugsAsync(room));
    }

    [Fact]
    public async Task Parallel_replaces_naming_the_same_new_tag_all_get_200_and_share_one_tag()
    {
        var room = await Newsroom.CreateAsync(api);
        var drafts = new List<JsonElement>();
        for (var n = 0; n < Writers; n++)
        {
            drafts.Add(await room.CreateArticleAsync(Newsroom.Draft(title: $"Ferry report {n}", tags: [])));
        }

        var responses = await InParallel(n => room.SendAsync(HttpMethod.Put, $"{drafts[n].Id()}", 1,
            Newsroom.Draft(title: $"Ferry report {n}", tags: ["Ferry Strike"])));

        await BodiesAsync(responses, HttpStatusCode.OK);
        Assert.Equal(["ferry-strike"], await TagSlugsAsync(room));
    }

    [Fact]
    public async Task Parallel_creates_with_the_same_explicit_slug_give_one_201_and_article_slug_taken_for_the_rest()
    {
        var room = await Newsroom.CreateAsync(api);

        var responses = await InParallel(n => room.CreateAsync(Newsroom.Draft(title: $"Tide tables {n}", slug: "tide-tables", tags: [])));

        await AssertOneWinnerAsync(responses, HttpStatusCode.Created, HttpStatusCode.Conflict, "article.slug_taken");
    }

    [Fact]
    public async Task Parallel_saves_of_one_article_with_one_etag_give_one_200_and_version_mismatch_for_the_rest()
    {
        var room = await Newsroom.CreateAsync(api);
        var draft = await room.CreateArticleAsync(Newsroom.Draft(tags: []));

        var responses = await InParallel(n => room.SendAsync(HttpMethod.Put, $"{draft.Id()}", 1, Newsroom.Draft(title: $"Take {n}", tags: [])));

        await AssertOneWinnerAsync(responses, HttpStatusCode.OK, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        Assert.Equal(2, (await room.GetAsync(draft.Id())).Version());
    }

    [Fact]
    public async Task Parallel_restores_of_one_article_with_one_etag_give_one_200_and_version_mismatch_for_the_rest()
    {
        var room = await Newsroom.CreateAsync(api);
        var draft = await room.CreateArticleAsync(Newsroom.Draft(tags: []));
        await room.ChangeAsync(HttpMethod.Put, $"{draft.Id()}", 1, Newsroom.Draft(title: "Second take", tags: []));

        var responses = await InParallel(_ => room.SendAsync(HttpMethod.Post, $"{draft.Id()}/revisions/1/restore", 2));

        await AssertOneWinnerAsync(responses, HttpStatusCode.OK, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        Assert.Equal(3, (await room.GetAsync(draft.Id())).Version());
    }

    [Fact]
    public async Task Parallel_creates_of_one_tag_name_all_get_201_and_the_next_free_suffix()
    {
        var room = await Newsroom.CreateAsync(api);

        var responses = await InParallel(_ => api.Admin().PostAsJsonAsync($"{room.Admin}/tags", new { name = "Lighthouses" }, Ct));

        var slugs = await SlugsOfAsync(responses);
        Assert.Equal(Enumerable.Range(1, Writers).Select(n => n == 1 ? "lighthouses" : $"lighthouses-{n}").Order(), slugs.Order());
    }

    private static async Task<HttpResponseMessage[]> InParallel(Func<int, Task<HttpResponseMessage>> send)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, Writers).Select(async n =>
        {
            await start.WaitAsync(Ct);
            return await send(n);
        }).ToList();
        start.Release(Writers);
        return await Task.WhenAll(requests);
    }

    private static async Task AssertOneWinnerAsync(HttpResponseMessage[] responses, HttpStatusCode won, HttpStatusCode refused, string code)
    {
        Assert.Single(responses, r => r.StatusCode == won);
        foreach (var response in responses.Where(r => r.StatusCode != won))
        {
            await Problem.AssertAsync(response, refused, code);
        }
    }

    private static async Task<List<JsonElement>> BodiesAsync(IEnumerable<HttpResponseMessage> responses, HttpStatusCode expected)
    {
        var bodies = new List<JsonElement>();
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            bodies.Add(JsonDocument.Parse(text).RootElement);
        }

        return bodies;
    }

    private static async Task<IEnumerable<string>> SlugsOfAsync(IEnumerable<HttpResponseMessage> responses) =>
        (await BodiesAsync(responses, HttpStatusCode.Created)).Select(b => b.Str("slug"));

    private async Task<string[]> TagSlugsAsync(Newsroom room)
    {
        var page = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/tags?limit=100", Ct);
        return [.. page.GetProperty("items").EnumerateArray().Select(t => t.Str("slug"))];
    }
}

public sealed class SqliteConcurrentWriteTests(SqliteApi fixture) : ConcurrentWriteTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlConcurrentWriteTests(PostgreSqlApi fixture) : ConcurrentWriteTests(fixture.Api), IClassFixture<PostgreSqlApi>;
