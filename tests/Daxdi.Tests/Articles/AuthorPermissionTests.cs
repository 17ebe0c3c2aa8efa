using System.Net;
using System.Net.Http.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Articles;

/// <summary>An author key writes its own drafts and nothing else.</summary>
public abstract class AuthorPermissionTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A newsroom with the tag of <see cref="Newsroom.Draft"/>: an author may not create it by naming it.</summary>
    private async Task<Newsroom> RoomAsync()
    {
        var room = await Newsroom.CreateAsync(api);
        await room.PostOkAsync($"{room.Admin}/tags", new { name = "Transport" });
        return room;
    }

    [Fact]
    public async Task An_author_creates_drafts_with_themselves_as_author()
    {
        var room = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));

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
        var room = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
        var draft = await room.CreateArticleAsync(Newsroom.Draft(), jane);

        var saved = await room.SendAsync(HttpMethod.Put, $"{draft.Id()}", 1, Newsroom.Draft(title: "Better title"), jane);
        var dropped = await room.SendAsync(HttpMethod.Put, $"{draft.Id()}", 2, Newsroom.Draft(authors: ["john-roe"]), jane);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        await Problem.AssertAsync(dropped, HttpStatusCode.Forbidden, "article.author_must_stay");
    }

    [Fact]
    public async Task An_author_cannot_edit_someone_elses_draft_or_their_own_published_article()
    {
        var room = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
        var johns = await room.CreateArticleAsync(Newsroom.Draft(authors: ["john-roe"]));
        var janes = await room.CreateArticleAsync(Newsroom.Draft(title: "Jane's story"));
        await room.ChangeAsync(HttpMethod.Post, $"{janes.Id()}/publish", 1);

        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{johns.Id()}", 1, Newsroom.Draft(), jane),
            HttpStatusCode.Forbidden, "article.not_own");
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
        var room = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
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
    public async Task An_author_key_acts_in_its_own_site_only()
    {
        var room = await RoomAsync();
        var other = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
        var othersDraft = await other.CreateArticleAsync();

        // The other site has a Jane Doe too: the slug alone must not open it.
        await Problem.AssertAsync(await other.CreateAsync(Newsroom.Draft(authors: []), jane), HttpStatusCode.Forbidden, "auth.other_site");
        await Problem.AssertAsync(await jane.GetAsync($"{other.Admin}/articles?status=draft", Ct), HttpStatusCode.Forbidden, "auth.other_site");
        await Problem.AssertAsync(await jane.GetAsync($"/api/v1/admin/articles/{othersDraft.Id()}", Ct), HttpStatusCode.Forbidden, "auth.other_site");
        await Problem.AssertAsync(await other.SendAsync(HttpMethod.Put, $"{othersDraft.Id()}", 1, Newsroom.Draft(), jane),
            HttpStatusCode.Forbidden, "auth.other_site");
        await Problem.AssertAsync(await jane.GetAsync($"/api/v1/admin/articles/{othersDraft.Id()}/revisions", Ct), HttpStatusCode.Forbidden, "auth.other_site");
        await Problem.AssertAsync(await jane.GetAsync($"{other.Admin}/tags", Ct), HttpStatusCode.Forbidden, "auth.other_site");
        Assert.Equal(1, (await other.GetAsync(othersDraft.Id())).Version());
        Assert.Equal(HttpStatusCode.OK, (await jane.GetAsync($"{room.Admin}/articles", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_author_lists_and_reads_only_the_articles_they_are_an_author_of()
    {
        var room = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
        var hers = await room.CreateArticleAsync(Newsroom.Draft(title: "Hers"), jane);
        var johns = await room.CreateArticleAsync(Newsroom.Draft(title: "His", authors: ["john-roe"]));

        var listed = await jane.GetFromJsonAsync<System.Text.Json.JsonElement>($"{room.Admin}/articles", Ct);

        Assert.Equal([hers.Id()], listed.GetProperty("items").EnumerateArray().Select(a => a.Id()));
        Assert.Equal(HttpStatusCode.OK, (await jane.GetAsync($"/api/v1/admin/articles/{hers.Id()}", Ct)).StatusCode);
        await Problem.AssertAsync(await jane.GetAsync($"/api/v1/admin/articles/{johns.Id()}", Ct), HttpStatusCode.Forbidden, "article.not_own");
        await Problem.AssertAsync(await jane.GetAsync($"/api/v1/admin/articles/{johns.Id()}/revisions/1", Ct), HttpStatusCode.Forbidden, "article.not_own");
        await Problem.AssertAsync(await jane.GetAsync($"/api/v1/admin/articles/{Guid.NewGuid()}", Ct), HttpStatusCode.NotFound, "article.not_found");
    }

    [Fact]
    public async Task An_author_tags_with_existing_tags_only()
    {
        var room = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));

        var tagged = await room.CreateArticleAsync(Newsroom.Draft(tags: ["transport"]), jane);
        var refused = await room.CreateAsync(Newsroom.Draft(tags: ["transport", "Brand new tag"]), jane);

        Assert.Equal("transport", tagged.GetProperty("tags")[0].Str("slug"));
        await Problem.AssertAsync(refused, HttpStatusCode.Forbidden, "article.new_tag_forbidden");
        var tags = await api.Admin().GetFromJsonAsync<System.Text.Json.JsonElement>($"{room.Admin}/tags", Ct);
        Assert.DoesNotContain(tags.GetProperty("items").EnumerateArray(), t => t.Str("slug") == "brand-new-tag");
        Assert.Equal(HttpStatusCode.OK, (await room.SendAsync(HttpMethod.Put, $"{tagged.Id()}", 1,
            Newsroom.Draft(tags: ["transport", "Editors may"]))).StatusCode);
    }

    [Fact]
    public async Task An_author_key_whose_profile_was_deleted_is_refused_everywhere()
    {
        var room = await RoomAsync();
        await room.PostOkAsync($"{room.Admin}/authors", new { name = "Temp Writer" });
        var temp = api.Client(await api.CreateKeyAsync("author", room.Site, "temp-writer"));
        Assert.Equal(HttpStatusCode.OK, (await temp.GetAsync($"{room.Admin}/articles", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().DeleteAsync($"{room.Admin}/authors/temp-writer", Ct)).StatusCode);

        await Problem.AssertAsync(await temp.GetAsync($"{room.Admin}/articles", Ct), HttpStatusCode.Forbidden, "auth.author_unbound");
        await Problem.AssertAsync(await room.CreateAsync(Newsroom.Draft(authors: []), temp), HttpStatusCode.Forbidden, "auth.author_unbound");
    }

    [Fact]
    public async Task An_author_reads_taxonomy_but_cannot_change_it()
    {
        var room = await RoomAsync();
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));

        Assert.Equal(HttpStatusCode.OK, (await jane.GetAsync($"{room.Admin}/tags", Ct)).StatusCode);
        await Problem.AssertAsync(await jane.PostAsJsonAsync($"{room.Admin}/tags", new { name = "Mine" }, Ct),
            HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await jane.DeleteAsync($"{room.Admin}/sections/news", Ct), HttpStatusCode.Forbidden, "auth.forbidden");
    }
}

public sealed class SqliteAuthorPermissionTests(SqliteApi fixture) : AuthorPermissionTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlAuthorPermissionTests(PostgreSqlApi fixture) : AuthorPermissionTests(fixture.Api), IClassFixture<PostgreSqlApi>;
