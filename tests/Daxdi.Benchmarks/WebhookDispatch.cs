using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Daxdi.Application.Common;
using Daxdi.Application.Events;
using Daxdi.Application.Security;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Events;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Daxdi.Benchmarks;

/// <summary>
/// The webhook dispatcher against a receiver on 127.0.0.1 (in this process, answering 204), with the real API
/// (Release, Kestrel, SQLite) as its own process: (a) deliveries per second while it drains a backlog of outbox events
/// to one subscription, and (b) the server CPU an article save costs with one subscription to its site against none.
/// </summary>
internal static class WebhookDispatch
{
    public const string Command = "webhooks";

    private const string Author = "jane-doe";
    private const int WarmUpSaves = 300;
    private const int Rounds = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (events, saves, outFile) = (10_000, 300, (string?)null);
        var options = new CommandLine()
            .Number("--events", 1, n => events = n)
            .Number("--saves", 1, n => saves = n)
            .File("--out", f => outFile = f);
        if (!options.TryParse(args, Options.Usage))
        {
            return 2;
        }

        var apiFolder = await Shell.BuildApiAsync(root);
        if (apiFolder is null)
        {
            return 1;
        }

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        var data = Directory.CreateTempSubdirectory("daxdi-webhooks-");
        await using var receiver = await Receiver.StartAsync();
        var drain = await DrainAsync(apiFolder, data.FullName, receiver, events);
        var cost = await SaveCostAsync(apiFolder, data.FullName, receiver, saves);
        data.Delete(recursive: true);

        var report = $"""
            Machine: {await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run{(busyBefore > 10 ? " — **results unreliable**" : "")}.
            The receiver runs in the benchmark process on 127.0.0.1 and answers 204; the API runs in Release on SQLite with `Logging__LogLevel__Default=Warning`.

            | measurement | result | target |
            | --- | ---: | --- |
            | (a) drain: {events:N0} outbox events to one subscription, first to last delivery | {drain.PerSecond:N0} deliveries/s ({drain.Seconds:0.0} s) | ≥ 500/s {(drain.PerSecond >= 500 ? "pass" : "FAIL")} |
            | (a) server CPU per delivery | {drain.CpuMs:0.00} ms | |
            | (a) other processes' CPU during the drain | {drain.OthersPercent:0} % | |
            | (b) server CPU per article save, no subscription | {cost.QuietMs:0.00} ms | |
            | (b) server CPU per article save, one subscription (save and its delivery) | {cost.HookedMs:0.00} ms | |
            | (b) extra CPU per save for the subscription | {cost.ExtraPercent:+0.0;-0.0} % | ≤ 10 % {(cost.ExtraPercent <= 10 ? "pass" : "FAIL")} |

            (b) saves are `PUT /api/v1/admin/articles/ID` of a published article (each one an `article.updated` event), {saves} per round, one at a time, in
            {cost.Rounds} rounds per site in alternating order after {WarmUpSaves} warm-up saves each; a round's CPU is read when the server is idle again (its deliveries done).
            Rounds (ms per save, no subscription / one subscription): {string.Join("; ", cost.RoundMs.Select(r => $"{r.Quiet:0.00} / {r.Hooked:0.00}"))}.
            """;
        Console.WriteLine();
        Console.WriteLine(report);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, report);
        }

        return drain.Complete ? 0 : 1;
    }

    private sealed record Drain(double Seconds, double PerSecond, double CpuMs, double OthersPercent, bool Complete);

    private sealed record Cost(double QuietMs, double HookedMs, double ExtraPercent, int Rounds, List<(double Quiet, double Hooked)> RoundMs);

    private static async Task<Drain> DrainAsync(string apiFolder, string data, Receiver receiver, int events)
    {
        var file = Path.Combine(data, "drain.db");
        Console.WriteLine($"Seeding {events:N0} outbox events for one subscription ...");
        var subscriptionId = await SeedOutboxAsync(file, receiver.Url("/drain"), events);
        var (info, _, url) = ApiInfo(apiFolder, file);
        long ticks;
        double othersPercent;
        int succeeded, attempts;
        receiver.Reset("/drain");
        Console.WriteLine("Starting the API with the dispatcher ...");
        using (var api = await ServerProcess.StartAsync(info, url + "/health/ready", Path.Combine(data, "drain.log")))
        {
            var deadline = DateTime.UtcNow.AddMinutes(10);
            while (receiver.Count("/drain") == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            // From the first delivery on: start-up and JIT are not what this measures.
            var others = Cpu.MeasureOthers(api.Id);
            var started = Cpu.ProcessTicks(api.Id);
            while (receiver.Count("/drain") < events && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            // Received is not yet recorded: the last batch's commit follows.
            await using var db = Seeder.Open(file);
            do
            {
                await Task.Delay(100);
                succeeded = await db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == subscriptionId && d.Status == DeliveryStatus.Succeeded);
            }
            while (succeeded < events && DateTime.UtcNow < deadline);

            attempts = await db.WebhookAttempts.CountAsync(a => a.SubscriptionId == subscriptionId);
            ticks = Cpu.ProcessTicks(api.Id) - started;
            othersPercent = others();
            if (api.ErrorLines > 0)
            {
                Console.WriteLine($"  WARNING: the API logged {api.ErrorLines} errors; see {api.LogFile}");
            }
        }

        var (first, last) = receiver.Span("/drain");
        var seconds = (last - first).TotalSeconds;
        var complete = receiver.Count("/drain") == events && receiver.Distinct("/drain") == events && succeeded == events && attempts == events;
        Console.WriteLine($"  received {receiver.Count("/drain"):N0} ({receiver.Distinct("/drain"):N0} distinct ids), {succeeded:N0} deliveries succeeded, "
            + $"{attempts:N0} attempts recorded, in {seconds:0.0} s: {events / seconds:N0}/s");
        return new Drain(seconds, events / seconds, ticks * Cpu.MillisecondsPerTick / events, othersPercent, complete);
    }

    private static async Task<Cost> SaveCostAsync(string apiFolder, string data, Receiver receiver, int saves)
    {
        var file = Path.Combine(data, "saves.db");
        var (info, key, url) = ApiInfo(apiFolder, file);
        Console.WriteLine("Measuring the CPU of article saves with and without a subscription ...");
        using var api = await ServerProcess.StartAsync(info, url + "/health/ready", Path.Combine(data, "saves.log"));
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var quiet = await PublishedArticleAsync(http, "quiet");
        var hooked = await PublishedArticleAsync(http, "hooked");
        await using (var db = Seeder.Open(file))
        {
            var siteId = await db.Sites.Where(s => s.Key == "hooked").Select(s => s.Id).SingleAsync();
            db.WebhookSubscriptions.Add(new WebhookSubscription(siteId, receiver.Url("/saves"), [EventCatalog.ArticleUpdated], null, Secret(), Clock.Normalize(DateTime.UtcNow)));
            await db.SaveChangesAsync();
        }

        receiver.Reset("/saves");
        // Tiered JIT recompiles hot methods in the background for a while; that CPU must not land in a measured round.
        for (var i = 0; i < WarmUpSaves; i++)
        {
            await SaveAsync(http, quiet);
            await SaveAsync(http, hooked);
        }

        await WaitForAsync(receiver, "/saves", WarmUpSaves);
        var rounds = new List<(double, double)>();
        var delivered = WarmUpSaves;
        for (var round = 0; round < Rounds; round++)
        {
            // Alternating which site goes first, so a drift of the machine's speed within a pair cancels out.
            double q = 0, h = 0;
            foreach (var hookedFirst in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                if (hookedFirst)
                {
                    delivered += saves;
                    h = await MeasureAsync(api, http, hooked, saves, () => WaitForAsync(receiver, "/saves", delivered));
                }
                else
                {
                    q = await MeasureAsync(api, http, quiet, saves, null);
                }
            }

            Console.WriteLine($"  round {round + 1}: {q:0.00} ms per save without a subscription, {h:0.00} ms with one");
            rounds.Add((q, h));
        }

        var quietMs = rounds.Average(r => r.Item1);
        var hookedMs = rounds.Average(r => r.Item2);
        return new Cost(quietMs, hookedMs, 100 * (hookedMs - quietMs) / quietMs, Rounds, rounds);
    }

    private static async Task<double> MeasureAsync(ServerProcess api, HttpClient http, ArticleRef article, int saves, Func<Task>? delivered)
    {
        await api.WaitUntilIdleAsync();
        var ticks = Cpu.ProcessTicks(api.Id);
        for (var i = 0; i < saves; i++)
        {
            await SaveAsync(http, article);
        }

        if (delivered is not null)
        {
            await delivered();
        }

        await api.WaitUntilIdleAsync();
        return (Cpu.ProcessTicks(api.Id) - ticks) * Cpu.MillisecondsPerTick / saves;
    }

    private static async Task WaitForAsync(Receiver receiver, string path, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (receiver.Count(path) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The receiver got {receiver.Count(path)} of {count} webhooks at {path}.");
            }

            await Task.Delay(20);
        }
    }

    private sealed class ArticleRef(Guid id)
    {
        public Guid Id { get; } = id;

        public int Version { get; set; } = 2;
    }

    private static async Task<ArticleRef> PublishedArticleAsync(HttpClient http, string site)
    {
        (await http.PostAsJsonAsync("/api/v1/admin/sites", new { key = site, name = site, domain = $"{site}.example", defaultLanguage = "en" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/v1/admin/sites/{site}/authors", new { name = "Jane Doe" })).EnsureSuccessStatusCode();
        using var created = await http.PostAsJsonAsync($"/api/v1/admin/sites/{site}/articles", Draft("Harbour bridge reopens"));
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/articles/{id}/publish");
        publish.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        (await http.SendAsync(publish)).EnsureSuccessStatusCode();
        return new ArticleRef(id);
    }

    private static async Task SaveAsync(HttpClient http, ArticleRef article)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{article.Id}")
        {
            Content = JsonContent.Create(Draft($"Harbour bridge reopens, update {article.Version}")),
        };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{article.Version}\""));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        article.Version++;
    }

    private static object Draft(string title) => new
    {
        title, slug = "harbour-bridge", body = "<p>The bridge reopens on Monday after <b>six weeks</b> of repairs.</p>", bodyFormat = "html",
        authors = new[] { Author },
    };

    private static (ProcessStartInfo Info, string Key, string Url) ApiInfo(string apiFolder, string file)
    {
        var key = ApiKeySecret.Generate();
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var info = ServerProcess.Api(apiFolder, url, $"Data Source={file}", key,
        [
            ("Seed__DemoContent", "false"), ("Publishing__SchedulerEnabled", "false"), ("Logging__LogLevel__Default", "Warning"),
            ("Webhooks__AllowedPrivateNetworks__0", "127.0.0.0/8"), .. ServerProcess.Unlimited("Admin"),
        ]);
        return (info, key, url);
    }

    /// <summary>A migrated store with site <c>bench</c>, one subscription to every article event, and <paramref name="count"/> undispatched events.</summary>
    private static async Task<Guid> SeedOutboxAsync(string file, string url, int count)
    {
        await using var db = Seeder.Open(file);
        await db.Database.MigrateAsync();
        var now = Clock.Normalize(DateTime.UtcNow);
        var site = new Site(Seeder.SiteKey, "Bench Daily", "bench.example", [], "en", now.AddDays(-1));
        var subscription = new WebhookSubscription(site.Id, url, [EventCatalog.ArticlePublished], null, Secret(), now.AddHours(-1));
        db.Sites.Add(site);
        db.WebhookSubscriptions.Add(subscription);
        for (var i = 0; i < count; i++)
        {
            var at = now.AddMilliseconds(i - count);
            var data = new ArticleEventData
            {
                Id = Guid.CreateVersion7(), Site = site.Key, Slug = $"story-{i + 1}", PreviousSlug = null, Title = $"Harbour bridge story {i + 1}",
                Language = "en", Status = ArticleStatus.Published, Version = 2, PublishedAt = at,
            };
            var body = JsonSerializer.SerializeToUtf8Bytes(new EventEnvelope<ArticleEventData>(EventCatalog.ArticlePublished, at, data), Json);
            db.OutboxEvents.Add(new OutboxEvent(site.Id, EventCatalog.ArticlePublished, body, at));
        }

        await db.SaveChangesAsync();
        return subscription.Id;
    }

    private static string Secret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Counts what arrives per path, and when the first and last request of a path came.</summary>
    internal sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Dictionary<string, Tally> _paths = [];

        private Receiver(WebApplication app) => _app = app;

        private int Port { get; set; }

        public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.Run(async context =>
            {
                var id = context.Request.Headers["webhook-id"].ToString();
                await context.Request.Body.CopyToAsync(Stream.Null);
                receiver.Tally(context.Request.Path).Add(id);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            });
            await app.StartAsync();
            receiver.Port = new Uri(app.Urls.Single()).Port;
            return receiver;
        }

        public void Reset(string path)
        {
            lock (_paths)
            {
                _paths[path] = new Tally();
            }
        }

        public int Count(string path) => Tally(path).Count;

        public int Distinct(string path) => Tally(path).Distinct;

        public (DateTime First, DateTime Last) Span(string path) => Tally(path).Span;

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private Tally Tally(string path)
        {
            lock (_paths)
            {
                return _paths.TryGetValue(path, out var tally) ? tally : _paths[path] = new Tally();
            }
        }
    }

    private sealed class Tally
    {
        private readonly HashSet<string> _ids = [];
        private int _count;
        private DateTime _first;
        private DateTime _last;

        public int Count
        {
            get
            {
                lock (_ids)
                {
                    return _count;
                }
            }
        }

        public int Distinct
        {
            get
            {
                lock (_ids)
                {
                    return _ids.Count;
                }
            }
        }

        public (DateTime, DateTime) Span
        {
            get
            {
                lock (_ids)
                {
                    return (_first, _last);
                }
            }
        }

        public void Add(string id)
        {
            lock (_ids)
            {
                var now = DateTime.UtcNow;
                if (_count++ == 0)
                {
                    _first = now;
                }

                _last = now;
                _ids.Add(id);
            }
        }
    }
}
