using System.Net;
using System.Text.Json;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Events;

/// <summary>
/// Every change that integrators hear of leaves exactly one outbox event, written in the change's own transaction:
/// a change that is refused or rolled back leaves none, and a change that changes nothing leaves none.
/// </summary>
public abstract class OutboxTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The site's outbox events in the order they happened: type and parsed body.</summary>
    public static async Task<List<(string Type, JsonElement Body)>> EventsAsync(ApiFactory api, string site)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var siteId = await db.Sites.Where(s => s.Key == site).Select(s => s.Id).SingleAsync(Ct);
        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.SiteId == siteId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToListAsync(Ct);
        return [.. events.Select(e => (e.Type, JsonDocument.Parse(e.Body).RootElement))];
    }

    [Fact]
    public async Task Each_step_of_an_articles_public_life_is_one_event_with_the_article_as_it_stood()
    {
        var room = await Newsroom.CreateAsync(api);
        var draft = await room.CreateArticleAsync(Newsroom.Draft(title: "Ferry fares frozen"));
        await room.ChangeAsync(HttpMethod.Put, $"{draft.Id()}", 1, Newsroom.Draft(title: "Ferry fares frozen for winter"));
        Assert.Empty(await EventsAsync(api, room.Site));

        await room.ChangeAsync(HttpMethod.Post, $"{draft.Id()}/publish", 2);
        await room.ChangeAsync(HttpMethod.Put, $"{draft.Id()}", 3, Newsroom.Draft(title: "Ferry fares frozen until spring", slug: "fares-frozen-until-spring"));
        await room.ChangeAsync(HttpMethod.Put, $"{draft.Id()}", 4, Newsroom.Draft(title: "Ferry fares frozen until spring", slug: "fares-frozen-until-spring"));
        await room.ChangeAsync(HttpMethod.Post, $"{draft.Id()}/unpublish", 4);
        await room.ChangeAsync(HttpMethod.Post, $"{draft.Id()}/publish", 5);
        await room.ChangeAsync(HttpMethod.Post, $"{draft.Id()}/archive", 6);
        Assert.Equal(HttpStatusCode.NoContent, (await room.SendAsync(HttpMethod.Delete, $"{draft.Id()}", 7)).StatusCode);

        var events = await EventsAsync(api, room.Site);
        Assert.Equal(["article.published", "article.updated", "article.unpublished", "article.published", "article.archived", "article.deleted"],
            events.Select(e => e.Type));
        Assert.All(events, e =>
        {
            Assert.Equal(e.Type, e.Body.Str("type"));
            Assert.Equal(draft.Id(), e.Body.GetProperty("data").Id());
            Assert.Equal(room.Site, e.Body.GetProperty("data").Str("site"));
            Assert.True(e.Body.GetProperty("timestamp").TryGetDateTime(out _));
        });
        var updated = events[1].Body.GetProperty("data");
        Assert.Equal(("fares-frozen-until-spring", "ferry-fares-frozen"), (updated.Str("slug"), updated.Str("previousSlug")));
        Assert.Equal(("Ferry fares frozen until spring", 4, "published"), (updated.Str("title"), updated.Version(), updated.Str("status")));
        Assert.Equal([3, 4, 5, 6, 7, 8], events.Select(e => e.Body.GetProperty("data").Version()));
    }

    [Fact]
    public async Task A_refused_change_leaves_no_event()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.PublishedAsync();

        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{article.Id()}/archive", 1), HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{article.Id()}/publish", 2), HttpStatusCode.UnprocessableEntity, "article.invalid_transition");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{article.Id()}", 2, Newsroom.Draft(title: "")), HttpStatusCode.BadRequest, "request.validation_failed");

        Assert.Equal(["article.published"], (await EventsAsync(api, room.Site)).Select(e => e.Type));
    }

    [Fact]
    public async Task Detaching_a_deleted_term_updates_the_published_articles_that_showed_it_and_no_others()
    {
        var room = await Newsroom.CreateAsync(api);
        var live = await room.PublishedAsync(Newsroom.Draft(title: "Night buses return", tags: ["transport"]));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Draft about buses", tags: ["transport"]));
        await room.PublishedAsync(Newsroom.Draft(title: "Harbour festival", tags: ["culture"]));

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().DeleteAsync($"{room.Admin}/tags/transport?force=true", Ct)).StatusCode);

        var updates = (await EventsAsync(api, room.Site)).Where(e => e.Type == "article.updated").ToList();
        var only = Assert.Single(updates);
        Assert.Equal(live.Id(), only.Body.GetProperty("data").Id());
        Assert.Equal(3, only.Body.GetProperty("data").Version());
    }
}

public sealed class SqliteOutboxTests(SqliteApi fixture) : OutboxTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlOutboxTests(PostgreSqlApi fixture) : OutboxTests(fixture.Api), IClassFixture<PostgreSqlApi>;
