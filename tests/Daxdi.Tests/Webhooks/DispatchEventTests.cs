using System.Text.Json;
using Daxdi.Application.Events;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Webhooks;

/// <summary>
/// What a receiver gets when editors work on articles: one signed Standard Webhooks request per change, with the
/// documented type and data, within seconds, and only for the subscriptions that want it.
/// </summary>
public abstract class DispatchEventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<TestStore> NewStoreAsync();

    [Fact]
    public async Task Every_article_change_reaches_the_receiver_once_signed_with_its_type_and_data_within_seconds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = DispatchHost.Create(await NewStoreAsync());
        var room = await Newsroom.CreateAsync(api);
        var secret = WebhookReceiver.NewSecret();
        await DispatchHost.SubscribeAsync(api, room.Site, receiver.Url(), secret);
        await DispatchHost.SubscribeAsync(api, room.Site, receiver.Url("/deleted-only"), WebhookReceiver.NewSecret(), EventCatalog.ArticleDeleted);
        var other = await Newsroom.CreateAsync(api);
        await DispatchHost.SubscribeAsync(api, other.Site, receiver.Url("/other-site"), WebhookReceiver.NewSecret());

        var draft = await room.CreateArticleAsync(Newsroom.Draft(title: "Harbour bridge reopens"));
        var id = draft.Id();
        var sentAt = new Dictionary<int, DateTime>();
        async Task ChangeAsync(HttpMethod method, string path, int version, object? body = null)
        {
            var changed = await room.ChangeAsync(method, path, version, body);
            sentAt[changed.Version()] = DateTime.UtcNow;
        }

        await ChangeAsync(HttpMethod.Post, $"{id}/publish", 1);
        await ChangeAsync(HttpMethod.Put, $"{id}", 2, Newsroom.Draft(title: "Harbour bridge reopens on Monday", slug: "harbour-bridge-monday"));
        await ChangeAsync(HttpMethod.Post, $"{id}/unpublish", 3);
        await ChangeAsync(HttpMethod.Post, $"{id}/publish", 4);
        await ChangeAsync(HttpMethod.Post, $"{id}/archive", 5);
        var deleted = await room.SendAsync(HttpMethod.Delete, $"{id}", 6);
        Assert.True(deleted.IsSuccessStatusCode, $"DELETE: {(int)deleted.StatusCode}");
        sentAt[7] = DateTime.UtcNow;

        var received = await receiver.WaitForAsync(6);
        var onlyDeleted = await receiver.WaitForAsync(1, "/deleted-only");
        await Task.Delay(1500, Ct);

        Assert.Equal(6, receiver.To().Count);
        Assert.Single(receiver.To("/deleted-only"));
        Assert.Empty(receiver.To("/other-site"));
        var byVersion = received.ToDictionary(r => r.Data.GetProperty("version").GetInt32());
        Assert.Equal(
            [(2, "article.published", "published"), (3, "article.updated", "published"), (4, "article.unpublished", "draft"),
             (5, "article.published", "published"), (6, "article.archived", "archived"), (7, "article.deleted", "archived")],
            byVersion.OrderBy(p => p.Key).Select(p => (p.Key, p.Value.Type, p.Value.Data.GetProperty("status").GetString()!)));
        Assert.Equal(6, received.Select(r => r.Id).Distinct().Count());
        foreach (var (version, webhook) in byVersion)
        {
            Assert.Equal("POST", webhook.Method);
            Assert.Equal("application/json", webhook.Headers["Content-Type"]);
            Assert.Equal("Daxdi-Webhooks/1", webhook.Headers["User-Agent"]);
            Assert.Matches("^msg_[0-9a-f]{32}$", webhook.Id);
            Assert.True(webhook.IsSignedWith(secret), $"version {version}: the signature is not the spec's for the subscription's secret");
            Assert.Single(webhook.Signatures);
            Assert.InRange(webhook.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.InRange(webhook.ArrivedAt - sentAt[version], TimeSpan.Zero, TimeSpan.FromSeconds(3));
            var json = webhook.Json;
            Assert.Equal(["type", "timestamp", "data"], json.EnumerateObject().Select(p => p.Name));
            Assert.Equal(webhook.Type, json.GetProperty("type").GetString());
            Assert.InRange(json.GetProperty("timestamp").GetDateTime(), sentAt[version].AddSeconds(-5), sentAt[version]);
            var data = webhook.Data;
            Assert.Equal(id, data.GetProperty("id").GetGuid());
            Assert.Equal(room.Site, data.Str("site"));
            Assert.Equal("en", data.Str("language"));
            Assert.Equal(version == 2 ? "harbour-bridge-reopens" : "harbour-bridge-monday", data.Str("slug"));
            Assert.Equal(version == 2 ? "Harbour bridge reopens" : "Harbour bridge reopens on Monday", data.Str("title"));
            Assert.Equal(version == 3 ? "harbour-bridge-reopens" : null, data.GetProperty("previousSlug").GetString());
            Assert.Equal(JsonValueKind.String, data.GetProperty("publishedAt").ValueKind);
        }

        Assert.Equal(byVersion[7].Id, onlyDeleted[0].Id);
        Assert.Equal(byVersion[7].Body, onlyDeleted[0].Body);
        var article = await api.Admin().GetAsync($"/api/v1/admin/articles/{id}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, article.StatusCode);
    }

    [Fact]
    public async Task A_subscription_gets_only_the_events_that_happened_after_it_was_created()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = DispatchHost.Create(await NewStoreAsync());
        var room = await Newsroom.CreateAsync(api);
        var before = await room.PublishedAsync(Newsroom.Draft(title: "Before the subscription"));
        await Task.Delay(50, Ct);
        await DispatchHost.SubscribeAsync(api, room.Site, receiver.Url(), WebhookReceiver.NewSecret());
        var after = await room.PublishedAsync(Newsroom.Draft(title: "After the subscription"));

        var received = await receiver.WaitForAsync(1);
        await Task.Delay(1500, Ct);

        Assert.Equal(after.Id(), Assert.Single(receiver.To()).Data.GetProperty("id").GetGuid());
        Assert.NotEqual(before.Id(), received[0].Data.GetProperty("id").GetGuid());
    }
}

public sealed class SqliteDispatchEventTests : DispatchEventTests
{
    protected override Task<TestStore> NewStoreAsync() => Task.FromResult(TestStore.Sqlite());
}

public sealed class PostgreSqlDispatchEventTests : DispatchEventTests
{
    protected override Task<TestStore> NewStoreAsync() => TestStore.PostgreSqlAsync();
}
