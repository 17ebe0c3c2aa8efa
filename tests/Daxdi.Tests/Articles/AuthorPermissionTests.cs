using System.Net;
using System.Net.Http.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Articles;

/// <summary>An author key writes its own drafts and nothing else.</summary>
public abstract class AuthorPermissionTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_author_creates_drafts_with_themselves_as_author()
    {
        var room = await Newsroom.CreateAsync(api);
        var jane = api.Client(await api.CreateKeyAsync("author", "jane-doe"));

        var draft = await room.CreateArticleAsync(Newsroom.Draft(authors: []), jane);
        var coWritten = await room.CreateArticleAsync(Newsroom.Draft(authors: ["john-roe", "jane-doe"]), jane);

        Assert.Equal(["jane-doe"], draft.GetProperty("authors").EnumerateArray().Select(a => a.Str("slug")));
        Assert.Equal("draft", draft.Str("status"));
        Assert.Equal(2, coWritten.GetProperty("authors").GetArrayLength());
        await Problem.AssertAsync(await room.CreateAsync(Newsroom.Draft(authors: ["john-roe"]), jane),
            HttpStatusCode.Forbidden, "article.author_must_stay");
    }

    [Fact]
    public async Task An_author_edits_their_own_drafts_but_cannot_drop_themselves()
    {
        var room = await Newsroom.CreateAsync(api);
        var jane = api.Client(await api.CreateKeyAsync("author", "jane-doe"));
        var draft = await room.CreateArticleAsync(Newsroom.Draft(), jane);

        var saved = await room.SendAsync(HttpMethod.Put, $"{draft.Id()}", 1, Newsroom.Draft(title: "Better title"), jane);
        var dropped = await room.SendAsync(HttpMethod.Put, $"{draft.Id()}", 2, Newsroom.Draft(authors: ["john-roe"]), jane);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        await Problem.AssertAsync(dropped, HttpStatusCode.Forbidden, "article.author_must_stay");
    }

    [Fact]
    public async Task An_author_cannot_edit_someone_elses_draft_or_their_own_published_article()
    {
        var room = await Newsroom.CreateAsync(api);
        var jane = api.Client(await api.CreateKeyAsync("author", "jane-doe"));
        var johns = await room.CreateArticleAsync(Newsroom.Draft(authors: ["john-roe"]));
        var janes = await room.CreateArticleAsync(Newsroom.Draft(title: "Jane's story"));
        await room.ChangeAsync(HttpMethod.Post, $"{janes.Id()}/publish", 1);

        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{johns.Id()}", 1, Newsroom.Draft(), jane),
            HttpStatusCode.Forbidden, "article.not_own_draft");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{janes.Id()}", 2, Newsroom.Draft(), jane),
            HttpStatusCode.Forbidden, "article.not_own_draft");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{janes.Id()}/revisions/1/restore", 2, null, jane),
            HttpStatusCode.Forbidden, "article.not_own_draft");
    }

    [Theory]
    [InlineData("POST", "publish")]
    [InlineData("POST", "schedule")]
    [InlineData("POST", "unpublish")]
    [InlineData("POST", "archive")]
    [InlineData("PUT", "recommendations")]
    [InlineData("DELETE", "")]
    public async Task An_author_takes_no_workflow_action_even_on_their_own_draft(string method, string action)
    {
        var room = await Newsroom.CreateAsync(api);
        var jane = api.Client(await api.CreateKeyAsync("author", "jane-doe"));
        var draft = await room.CreateArticleAsync(Newsroom.Draft(), jane);
        object? body = action switch
        {
            "schedule" => new { at = DateTime.UtcNow.AddDays(1) },
            "recommendations" => new { articleIds = Array.Empty<Guid>() },
            _ => null,
        };

        var response = await room.SendAsync(new HttpMethod(method), $"{draft.Id()}/{action}".TrimEnd('/'), 1, body, jane);

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "article.editor_required");
        Assert.Equal(1, (await room.GetAsync(draft.Id())).Version());
    }

    [Fact]
    public async Task An_author_key_without_a_profile_in_the_site_is_refused()
    {
        var room = await Newsroom.CreateAsync(api);
        var stranger = api.Client(await api.CreateKeyAsync("author", "not-on-this-site"));

        await Problem.AssertAsync(await room.CreateAsync(Newsroom.Draft(authors: []), stranger),
            HttpStatusCode.Forbidden, "article.author_profile_missing");
    }

    [Fact]
    public async Task An_author_reads_taxonomy_but_cannot_change_it()
    {
        var room = await Newsroom.CreateAsync(api);
        var jane = api.Client(await api.CreateKeyAsync("author", "jane-doe"));

        Assert.Equal(HttpStatusCode.OK, (await jane.GetAsync($"{room.Admin}/tags", Ct)).StatusCode);
        await Problem.AssertAsync(await jane.PostAsJsonAsync($"{room.Admin}/tags", new { name = "Mine" }, Ct),
            HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await jane.DeleteAsync($"{room.Admin}/sections/news", Ct), HttpStatusCode.Forbidden, "auth.forbidden");
    }
}

public sealed class SqliteAuthorPermissionTests(SqliteApi fixture) : AuthorPermissionTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlAuthorPermissionTests(PostgreSqlApi fixture) : AuthorPermissionTests(fixture.Api), IClassFixture<PostgreSqlApi>;
