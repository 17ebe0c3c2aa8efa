using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Daxdi.Application.Events;
using Daxdi.Application.Security;
using Daxdi.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Benchmarks;

/// <summary>
/// Hours of a news site's day in minutes: public reads, editors' saves and publishes, consent decisions and payment
/// intents at fixed rates (an open loop: requests go out on schedule whether or not earlier ones came back), with
/// webhooks delivered to a local receiver. Each minute reports requests, errors, p50, p99 and the API's RSS, so the
/// memory curve shows whether it levels off.
/// </summary>
internal static partial class Soak
{
    public const string Command = "soak";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- soak [options]
          mixed load for a long time, reporting every minute (docs/performance.md, soak)
          --minutes N      how long (default: 30)
          --reads N        public reads per second (default: 200)
          --editors N      article saves per second, each draft published after two saves (default: 2)
          --consents N     consent decisions per second (default: 20)
          --intents N      payment intents per second (default: 5)
          --env NAME=VALUE a setting for the API process; repeatable
          --out FILE       also write the markdown report to FILE
          --trx FILE       also write the outcome (no errors) as a one-test TRX file (CI counts it with the tests)
        """;

    private const string Site = "daxdi";

    /// <summary>More requests in flight than this means the API has fallen behind: the run reports it rather than piling on.</summary>
    private const int MaxInFlight = 256;

    /// <summary>
    /// A new process compiles its code under the load for tens of seconds; a node that sheds load refuses some requests
    /// meanwhile (ADR 0015). The soak is about the hours after: the warm-up is reported apart and does not fail it.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (minutes, reads, editors, consents, intents, outFile, trx) = (30, 200, 2, 20, 5, (string?)null, (string?)null);
        var options = new CommandLine().WithEnv()
            .Number("--minutes", 1, n => minutes = n)
            .Number("--reads", 0, n => reads = n)
            .Number("--editors", 0, n => editors = n)
            .Number("--consents", 0, n => consents = n)
            .Number("--intents", 0, n => intents = n)
            .File("--out", f => outFile = f)
            .File("--trx", f => trx = f);
        if (!options.TryParse(args, Usage))
        {
            return 2;
        }

        var apiFolder = await Shell.BuildApiAsync(root);
        if (apiFolder is null)
        {
            return 1;
        }

        var (dataDir, file) = Shell.FreshStore(root, "soak.db");
        await using var store = CrashStore.ForSqlite(file);
        var adminKey = ApiKeySecret.Generate();
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var info = CrashHarness.ApiInfo(apiFolder, store, adminKey, url, options.Environment);

        var log = Path.Combine(dataDir, "soak.log");
        using (await ServerProcess.StartAsync(info, url + "/health/ready", log))
        {
            // Migrated and seeded; the subscription is added with the API stopped.
        }

        await using var receiver = await WebhookDispatch.Receiver.StartAsync();
        await SubscribeAsync(file, receiver.Url("/soak"));
        using var api = await ServerProcess.StartAsync(info, url + "/health/ready", log);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = MaxInFlight })
        {
            BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var fixture = await Writes.FixturesAsync(http, Site);
        var slugs = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/sites/{Site}/articles?limit=50"))!["items"]!.AsArray()
            .Select(a => a!["slug"]!.GetValue<string>()).ToArray();

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        Console.WriteLine($"Soak: {minutes} min of {reads} reads/s, {editors} saves/s, {consents} consent decisions/s, {intents} intents/s; log {log}");
        var load = new OpenLoop(MaxInFlight);
        var errorsByKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource(WarmUp + TimeSpan.FromMinutes(minutes));
        var random = new Random(5);
        var drafts = new ConcurrentQueue<(string Id, int Version)>();
        var schedules = new List<Task>
        {
            load.PaceAsync("read", reads, n => n % 2 == 0
                ? http.GetAsync($"/api/v1/sites/{Site}/articles?limit=10")
                : http.GetAsync($"/api/v1/sites/{Site}/articles/{slugs[n % slugs.Length]}"), stop.Token),
            load.PaceAsync("editor", editors, n => EditAsync(http, fixture.Author, drafts, n), stop.Token),
            load.PaceAsync("consent", consents, n => http.PostAsync($"/api/v1/sites/{Site}/consents",
                new StringContent(fixture.ConsentBodies[n % fixture.ConsentBodies.Length], Encoding.UTF8, "application/json")), stop.Token),
            load.PaceAsync("intent", intents, n => Writes.SendIntentAsync(http, $"soak-{n}-{Guid.NewGuid():N}", fixture.IntentBodies[n % fixture.IntentBodies.Length]), stop.Token),
        };

        await Task.Delay(WarmUp);
        var warmUp = load.Take();
        var warmUpErrors = warmUp.Count(IsError);
        Console.WriteLine($"Warm-up ({WarmUp.TotalSeconds:0} s, not counted): {warmUp.Length:N0} requests, {warmUpErrors} errors, p99 {OpenLoop.Percentile(warmUp, 99):0.0} ms");
        var rows = new List<Minute>();
        var clock = Stopwatch.StartNew();
        Console.WriteLine(Minute.Header);
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMinutes(1) * (rows.Count + 1) - clock.Elapsed, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            var samples = load.Take();
            var errorSamples = samples.Where(IsError).ToList();
            foreach (var error in errorSamples)
            {
                var key = $"{error.Kind} {error.Failure ?? error.Status.ToString(CultureInfo.InvariantCulture)}";
                errorsByKind[key] = errorsByKind.GetValueOrDefault(key) + 1;
            }

            var minute = new Minute(rows.Count + 1, samples.Count(s => s.Status != 0), errorSamples.Count,
                OpenLoop.Percentile(samples, 50), OpenLoop.Percentile(samples, 99), Memory.Of(api.Id, Path.GetFullPath(file)), receiver.Count("/soak"));
            rows.Add(minute);
            Console.WriteLine(minute.Row);
        }

        await Task.WhenAll(schedules);
        await load.DrainAsync();
        var errors = rows.Sum(r => r.Errors);
        var half = rows.Take(Math.Max(1, rows.Count / 2)).Max(r => r.Memory.RssMb);
        var halfAnonymous = rows.Take(Math.Max(1, rows.Count / 2)).Max(r => r.Memory.AnonymousMb);
        var halfWithoutMap = rows.Take(Math.Max(1, rows.Count / 2)).Max(r => r.Memory.WithoutStoreMapMb);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Daxdi.Benchmarks -- {string.Join(' ', args.Prepend(Command))}`");
        text.AppendLine();
        text.AppendLine(Minute.Header);
        foreach (var row in rows)
        {
            text.AppendLine(row.Row);
        }

        text.AppendLine();
        var errorSummary = errorsByKind.Count == 0 ? "none" : string.Join(", ", errorsByKind.Select(e => $"{e.Key}: {e.Value}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"Warm-up before minute 1 ({WarmUp.TotalSeconds:0} s at the same rates, not counted): {warmUp.Length:N0} requests, {warmUpErrors} errors (refusals while the new process compiles its code), p99 {OpenLoop.Percentile(warmUp, 99):0.0} ms.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Errors by kind: {errorSummary}. Requests not sent because {MaxInFlight} were in flight: {load.Skipped}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"RSS: highest in the first half {half:0} MB, at the end {rows[^1].Memory.RssMb:0} MB, peak {api.PeakRssMb():0} MB.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Anonymous RSS: highest in the first half {halfAnonymous:0} MB, at the end {rows[^1].Memory.AnonymousMb:0} MB.");
        text.AppendLine(CultureInfo.InvariantCulture, $"RSS less the store file's map: highest in the first half {halfWithoutMap:0} MB, at the end {rows[^1].Memory.WithoutStoreMapMb:0} MB; the map {rows[^1].Memory.StoreMapMb:0} MB at the end.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Store file at the end: {new FileInfo(file).Length / 1048576.0:0} MB.");
        Console.WriteLine();
        Console.WriteLine(text);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, text.ToString());
        }

        // Requests not sent count against the run in its report, not its outcome: a cold start on a loaded machine skips some.
        if (trx is not null)
        {
            await Trx.WriteAsync(trx, "Soak", errors == 0, clock.Elapsed, text.ToString());
        }

        return errors == 0 ? 0 : 1;
    }

    /// <summary>A server error, a refusal for load (503 or 429), or no answer at all.</summary>
    private static bool IsError(OpenLoop.Sample sample) =>
        sample.Status is 0 or >= 500 or (int)HttpStatusCode.TooManyRequests;

    /// <summary>A draft created, saved again, then published: three of the editor's requests per story, one each call.</summary>
    private static async Task<HttpResponseMessage> EditAsync(HttpClient http, string author, ConcurrentQueue<(string Id, int Version)> drafts, int n)
    {
        object Draft(string title) => new { title, body = $"<p>{title}: the council met on Tuesday and voted on the harbour plan.</p>", bodyFormat = "html", authors = new[] { author } };
        if (n % 3 == 0 || !drafts.TryDequeue(out var draft))
        {
            var created = await http.PostAsJsonAsync($"/api/v1/admin/sites/{Site}/articles", Draft($"Soak story {n}"));
            if (created.IsSuccessStatusCode && JsonNode.Parse(await created.Content.ReadAsStringAsync()) is { } json)
            {
                drafts.Enqueue((json["id"]!.GetValue<string>(), json["version"]!.GetValue<int>()));
            }

            return created;
        }

        var publish = draft.Version >= 2;
        using var request = publish
            ? new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/articles/{draft.Id}/publish")
            : new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{draft.Id}") { Content = JsonContent.Create(Draft($"Soak story {n}, revised")) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{draft.Version}\""));
        var response = await http.SendAsync(request);
        if (!publish && response.IsSuccessStatusCode)
        {
            drafts.Enqueue((draft.Id, draft.Version + 1));
        }

        return response;
    }

    /// <summary>A subscription of the demo site to its articles' publications and its consent decisions, at the receiver.</summary>
    private static async Task SubscribeAsync(string file, string url)
    {
        await using var db = Seeder.Open(file);
        var siteId = await db.Sites.Where(s => s.Key == Site).Select(s => s.Id).SingleAsync();
        db.WebhookSubscriptions.Add(new WebhookSubscription(siteId, url, [EventCatalog.ArticlePublished, EventCatalog.ConsentRecorded], "soak receiver",
            "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow));
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The API's resident memory from <c>/proc/PID/status</c>, split into anonymous pages (the managed heap, native
    /// allocations, SQLite's page caches) and file-backed ones, and of those the pages of the store file that SQLite's
    /// write connection maps (<c>/proc/PID/smaps</c>): that part grows with the store up to the map's size
    /// (<c>Database:SqliteWriteMemoryMapMegabytes</c>), and the kernel takes it back under pressure; the rest is the
    /// memory that must level off.
    /// </summary>
    private sealed record Memory(double RssMb, double AnonymousMb, double FileMb, double StoreMapMb)
    {
        /// <summary>Resident memory other than the store file's map.</summary>
        public double WithoutStoreMapMb => RssMb - StoreMapMb;

        public static Memory Of(int pid, string storeFile)
        {
            var kib = File.ReadLines($"/proc/{pid}/status")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2 && p[0] is "VmRSS" or "RssAnon" or "RssFile")
                .ToDictionary(p => p[0], p => Kib(p[1]));
            return new Memory(kib["VmRSS"] / 1024, kib["RssAnon"] / 1024, kib["RssFile"] / 1024, MappedKib(pid, storeFile) / 1024);
        }

        /// <summary>
        /// The resident pages of every mapping of <paramref name="path"/>: a mapping's header line ends with the file's
        /// path, and its fields (<c>Rss:</c> among them) follow, each a name ending in a colon.
        /// </summary>
        private static double MappedKib(int pid, string path)
        {
            var (total, inFile) = (0.0, false);
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
            {
                var first = line.Split(' ', 2)[0];
                if (!first.EndsWith(':'))
                {
                    inFile = line.EndsWith(" " + path, StringComparison.Ordinal);
                }
                else if (inFile && first == "Rss:")
                {
                    total += Kib(line[4..]);
                }
            }

            return total;
        }

        private static double Kib(string value) => long.Parse(Digits().Match(value).Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    private sealed record Minute(int Number, int Requests, int Errors, double P50, double P99, Memory Memory, int Webhooks)
    {
        public const string Header = """
            | minute | requests | errors | p50 | p99 | RSS | anonymous | file-backed | of it, the store's map | RSS less the map | webhooks received |
            | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
            """;

        public string Row => string.Create(CultureInfo.InvariantCulture,
            $"| {Number} | {Requests:N0} | {Errors} | {P50:0.0} ms | {P99:0.0} ms | {Memory.RssMb:0} MB | {Memory.AnonymousMb:0} MB | {Memory.FileMb:0} MB | {Memory.StoreMapMb:0} MB | {Memory.WithoutStoreMapMb:0} MB | {Webhooks:N0} |");
    }
}
