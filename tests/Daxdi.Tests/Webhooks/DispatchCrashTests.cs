using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Domain.Webhooks;
using Daxdi.Infrastructure.Persistence.Providers;
using Daxdi.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Tests.Webhooks;

/// <summary>At least once, for real: the API as its own process, killed after it acknowledged a change.</summary>
public sealed class DispatchCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_acknowledged_before_the_process_was_killed_is_delivered_exactly_once_after_the_restart()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = ApiProcess.FreePort();
        (string, string)[] settings =
        [
            ("Bootstrap__AdminApiKey", ApiFactory.AdminKey), ("Seed__DemoContent", "false"), ("Webhooks__AllowedPrivateNetworks__0", "127.0.0.0/8"),
        ];
        var secret = WebhookReceiver.NewSecret();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ApiFactory.AdminKey);
        Guid articleId;
        using (var first = ApiProcess.Start(folder.Path, port, [.. settings, ("Webhooks__DispatcherEnabled", "false")]))
        {
            Assert.Equal(HttpStatusCode.OK, (await ApiProcess.WaitForAsync(http, "/health/ready", first)).StatusCode);
            var site = await http.PostAsJsonAsync("/api/v1/admin/sites",
                new { key = "crash-desk", name = "Crash Desk", domain = "crash.example", corsOrigins = Array.Empty<string>(), defaultLanguage = "en" }, Ct);
            Assert.Equal(HttpStatusCode.Created, site.StatusCode);
            await SubscribeAsync(folder.Path, "crash-desk", receiver.Url(), secret);
            var created = await http.PostAsJsonAsync("/api/v1/admin/sites/crash-desk/articles",
                new { title = "Power cut in the harbour", body = "<p>Lights out at the docks.</p>", bodyFormat = "html" }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            articleId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
            using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/articles/{articleId}/publish");
            publish.Headers.IfMatch.Add(new("\"1\""));
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(publish, Ct)).StatusCode);

            first.Process.Kill();
            await first.Process.WaitForExitAsync(Ct);
            Assert.NotEqual(0, first.Process.ExitCode);
        }

        Assert.Empty(receiver.Received);
        using var second = ApiProcess.Start(folder.Path, port, settings);
        var received = await receiver.WaitForAsync(1, seconds: 60);
        await Task.Delay(2000, Ct);

        var webhook = Assert.Single(receiver.Received);
        Assert.Same(received[0], webhook);
        Assert.Equal("article.published", webhook.Type);
        Assert.Equal(articleId, webhook.Data.GetProperty("id").GetGuid());
        Assert.True(webhook.IsSignedWith(secret));
    }

    /// <summary>Adds the subscription straight into the process's SQLite file, as the admin API would.</summary>
    private static async Task SubscribeAsync(string folder, string site, string url, string secret)
    {
        var options = new DbContextOptionsBuilder<SqliteDaxdiDbContext>().UseSqlite($"Data Source={Path.Combine(folder, "daxdi.db")}").Options;
        await using (var db = new SqliteDaxdiDbContext(options))
        {
            var siteId = await db.Sites.Where(s => s.Key == site).Select(s => s.Id).SingleAsync(Ct);
            db.WebhookSubscriptions.Add(new WebhookSubscription(siteId, url, DispatchHost.ArticleEvents, null, secret, DateTime.UtcNow));
            await db.SaveChangesAsync(Ct);
        }

        SqliteConnection.ClearAllPools();
    }
}
