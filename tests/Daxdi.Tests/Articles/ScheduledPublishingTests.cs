using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Infrastructure.Publishing;
using Daxdi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Articles;

/// <summary>
/// The background publisher on a clock the test controls, with one or two API processes on one database.
/// Each test makes its own database.
/// </summary>
public abstract class ScheduledPublishingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<TestStore> NewStoreAsync();

    [Fact]
    public async Task The_background_job_publishes_a_scheduled_article_when_its_time_comes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = Host(await NewStoreAsync(), clock, scheduler: true);
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();
        var at = clock.GetUtcNow().UtcDateTime.AddHours(1);
        await room.ChangeAsync(HttpMethod.Post, $"{article.Id()}/schedule", 1, new { at });

        clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(300, Ct);
        Assert.Equal("scheduled", (await room.GetAsync(article.Id())).Str("status"));
        var before = await api.Client().GetFromJsonAsync<JsonElement>($"{room.Public}/articles", Ct);

        clock.Advance(TimeSpan.FromMinutes(2));
        var published = await EventuallyPublishedAsync(room, article.Id());
        var after = await EventuallyListedAsync(api, $"{room.Public}/articles");

        Assert.Equal(at, published.GetProperty("publishedAt").GetDateTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, published.Version());
        var history = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{article.Id()}/revisions", Ct);
        var latest = history.GetProperty("items")[0];
        Assert.Equal("published", latest.Str("action"));
        Assert.Equal("system:scheduler", latest.Str("createdBy"));
        Assert.Equal(0, before.GetProperty("items").GetArrayLength());
        Assert.Equal(article.Id(), after.GetProperty("items")[0].Id());
    }

    [Fact]
    public async Task Two_processes_on_one_database_publish_each_due_article_exactly_once()
    {
        var store = await NewStoreAsync();
        var start = DateTimeOffset.UtcNow;
        var clockA = new FakeTimeProvider(start);
        var clockB = new FakeTimeProvider(start);
        await using var nodeA = Host(store, clockA, scheduler: false);
        var room = await Newsroom.CreateAsync(nodeA);
        await using var nodeB = Host(store, clockB, scheduler: false, ownsStore: false);
        nodeB.Client();

        const int count = 24;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var article = await room.CreateArticleAsync(Newsroom.Draft(title: $"Morning briefing {i}"));
            await room.ChangeAsync(HttpMethod.Post, $"{article.Id()}/schedule", 1, new { at = start.UtcDateTime.AddMinutes(5) });
            ids.Add(article.Id());
        }

        clockA.Advance(TimeSpan.FromMinutes(6));
        clockB.Advance(TimeSpan.FromMinutes(6));
        var counts = await Task.WhenAll(
            Task.Run(() => PublishDueAsync(nodeA), Ct), Task.Run(() => PublishDueAsync(nodeB), Ct),
            Task.Run(() => PublishDueAsync(nodeA), Ct), Task.Run(() => PublishDueAsync(nodeB), Ct));

        Assert.Equal(count, counts.Sum());
        foreach (var id in ids)
        {
            var article = await room.GetAsync(id);
            Assert.Equal("published", article.Str("status"));
            Assert.Equal(3, article.Version());
            var history = await nodeA.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{id}/revisions", Ct);
            Assert.Single(history.GetProperty("items").EnumerateArray(), r => r.Str("action") == "published");
        }

        var published = (await Events.OutboxTests.EventsAsync(nodeA, room.Site)).Where(e => e.Type == "article.published")
            .Select(e => e.Body.GetProperty("data").Id()).ToList();
        Assert.Equal(ids.Order(), published.Order());

        Assert.Equal(0, await PublishDueAsync(nodeB));
    }

    [Fact]
    public async Task A_schedule_survives_a_restart_and_is_published_when_the_next_process_starts()
    {
        var store = await NewStoreAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Guid id;
        var first = Host(store, clock, scheduler: true, ownsStore: false);
        try
        {
            var room = await Newsroom.CreateAsync(first);
            id = (await room.CreateArticleAsync()).Id();
            await room.ChangeAsync(HttpMethod.Post, $"{id}/schedule", 1, new { at = clock.GetUtcNow().UtcDateTime.AddHours(1) });
        }
        finally
        {
            await first.DisposeAsync();
        }

        clock.Advance(TimeSpan.FromHours(2));
        await using var second = Host(store, clock, scheduler: true);
        second.Client();

        var published = await EventuallyPublishedAsync(null, id, second);
        Assert.Equal("published", published.Str("status"));
    }

    private static ApiFactory Host(TestStore store, FakeTimeProvider clock, bool scheduler, bool ownsStore = true) =>
        new(store, ("Publishing:SchedulerEnabled", scheduler ? "true" : "false"), ("Publishing:PollSeconds", "5"))
        {
            OwnsStore = ownsStore,
            TestServices = services => services.AddSingleton<TimeProvider>(clock),
        };

    private static async Task<int> PublishDueAsync(ApiFactory node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DuePublisher>().PublishDueAsync(100, Ct);
    }

    /// <summary>
    /// The public list once it shows an article. The scheduler evicts the cached list right after its commit, so
    /// the list may trail the admin read that saw the publication by a moment, never by the cache's lifetime.
    /// </summary>
    private static async Task<JsonElement> EventuallyListedAsync(ApiFactory api, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (true)
        {
            var list = await api.Client().GetFromJsonAsync<JsonElement>(url, Ct);
            if (list.GetProperty("items").GetArrayLength() > 0 || DateTime.UtcNow > deadline)
            {
                return list;
            }

            await Task.Delay(20, Ct);
        }
    }

    private static async Task<JsonElement> EventuallyPublishedAsync(Newsroom? room, Guid id, ApiFactory? api = null)
    {
        var client = (api ?? room!.Api).Admin();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var article = await client.GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{id}", Ct);
            if (article.Str("status") == "published" || DateTime.UtcNow > deadline)
            {
                Assert.Equal("published", article.Str("status"));
                return article;
            }

            await Task.Delay(100, Ct);
        }
    }
}

public sealed class SqliteScheduledPublishingTests : ScheduledPublishingTests
{
    protected override Task<TestStore> NewStoreAsync() => Task.FromResult(TestStore.Sqlite());
}

public sealed class PostgreSqlScheduledPublishingTests : ScheduledPublishingTests
{
    protected override Task<TestStore> NewStoreAsync() => TestStore.PostgreSqlAsync();
}
