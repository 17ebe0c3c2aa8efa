using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Daxdi.Application.Security;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Infrastructure.Persistence.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Daxdi.Benchmarks;

/// <summary>
/// Nothing acknowledged is ever lost: the API in its own process takes concurrent writes of every kind (article
/// saves and publishes, consent decisions, payment intents with idempotency keys, webhook subscriptions) and is
/// killed with SIGKILL at random moments, then restarted on the same store. Every 2xx answer goes to a client-side
/// log; at the end each logged write must be in the store in its logged state, with nothing half-written beside it.
/// </summary>
internal static class CrashHarness
{
    public const string Command = "crash";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- crash [options]
          SIGKILLs the API under concurrent writes and checks every acknowledged write (docs/operations.md, crash harness)
          --store NAME     sqlite (default) or postgresql (needs DAXDI_TEST_POSTGRES, an admin connection string)
          --kills N        kills in the run (default: 10)
          --writers N      concurrent writers (default: 8)
          --seed N         seed of the kill moments and the writers' choices (default: from the clock)
          --trx FILE       also write the outcome as a one-test TRX file (CI counts it with the tests)
        """;

    private const string Site = "daxdi";

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (storeName, kills, writers, seed, trx) = ("sqlite", 10, 8, Environment.TickCount, (string?)null);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--store": storeName = Value(); break;
                case "--kills": kills = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--writers": writers = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--trx": trx = Path.GetFullPath(Value()); break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option '{args[i]}'.\n\n{Usage}");
                    return 2;
            }
        }

        if (storeName is not ("sqlite" or "postgresql"))
        {
            await Console.Error.WriteLineAsync($"--store must be sqlite or postgresql.\n\n{Usage}");
            return 2;
        }

        var started = Stopwatch.StartNew();
        try
        {
            return await RunAsync(root, args, storeName, kills, writers, seed, trx, started);
        }
        catch (Exception e) when (trx is not null)
        {
            await Trx.WriteAsync(trx, $"CrashHarness.{storeName}", passed: false, started.Elapsed, e.ToString());
            throw;
        }
    }

    private static async Task<int> RunAsync(string root, IReadOnlyList<string> args, string storeName, int kills, int writers, int seed,
        string? trx, Stopwatch started)
    {
        var apiFolder = await Shell.BuildApiAsync(root) ?? throw new InvalidOperationException("The API did not build.");
        await using var store = await CrashStore.CreateAsync(root, storeName);
        var logDir = Directory.CreateDirectory(Path.Combine(root, "tests", "Daxdi.Benchmarks", "data", $"crash-{storeName}")).FullName;
        foreach (var old in Directory.GetFiles(logDir))
        {
            File.Delete(old);
        }

        Console.WriteLine($"Crash harness on {storeName}: {kills} kills, {writers} writers, seed {seed}; logs in {logDir}");
        var adminKey = ApiKeySecret.Generate();
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var api = new KilledApi(ApiInfo(apiFolder, store, adminKey, url), url, logDir);
        await api.StartAsync();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = writers * 2 })
        {
            BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var ledger = new Ledger(Path.Combine(logDir, "acknowledged.jsonl"));
        var writes = new Writes(http, api, ledger, await Writes.FixturesAsync(http, Site));

        using var stop = new CancellationTokenSource();
        var random = new Random(seed);
        var writerTasks = Enumerable.Range(0, writers).Select(n => writes.RunAsync(n, new Random(seed + n + 1), stop.Token)).ToList();
        for (var kill = 1; kill <= kills; kill++)
        {
            // A new process answers its first requests slowly (JIT): a life shorter than a second would see almost no writes.
            await Task.Delay(random.Next(1000, 6000));
            await api.KillAndRestartAsync();
            Console.WriteLine($"  kill {kill}/{kills}: {ledger.Count} writes acknowledged so far");
        }

        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(writerTasks);

        Console.WriteLine("Checking ...");
        var problems = await Verify.AllAsync(http, store, ledger, Site);
        api.Kill();
        if (store.File is not null)
        {
            problems.AddRange(await Verify.IntegrityAsync(store.File));
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {await Shell.MachineAsync(root)}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Daxdi.Benchmarks -- {string.Join(' ', args.Prepend(Command))}` (seed {seed})");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| store | {storeName} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| SIGKILLs (restarts on the same store) | {kills} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| acknowledged writes | {ledger.Summary()} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| requests without an answer (cut by a kill) | {writes.Cut} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| intents sent again with their key after a cut | {writes.RetriedIntents} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| answers other than 2xx | {writes.Refusals()} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| lost or half-written | **{(problems.Count == 0 ? "none" : problems.Count.ToString(CultureInfo.InvariantCulture))}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| run time | {started.Elapsed.TotalSeconds:0} s |");
        foreach (var problem in problems.Take(20))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {problem}");
        }

        Console.WriteLine();
        Console.WriteLine(text);
        var passed = problems.Count == 0 && ledger.CoversEveryKind;
        if (!ledger.CoversEveryKind)
        {
            Console.WriteLine("FAILED: not every kind of write was acknowledged; the run proves nothing about the missing ones.");
        }

        if (trx is not null)
        {
            await Trx.WriteAsync(trx, $"CrashHarness.{storeName}", passed, started.Elapsed, text.ToString());
        }

        return passed ? 0 : 1;
    }

    private static ProcessStartInfo ApiInfo(string apiFolder, CrashStore store, string adminKey, string url)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(apiFolder, "Daxdi.Api.dll"), "--urls", url]) { WorkingDirectory = apiFolder };
        info.Environment["Database__Provider"] = store.Provider;
        info.Environment["ConnectionStrings__Daxdi"] = store.ConnectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Seed__DemoContent"] = "true";
        info.Environment["Bootstrap__AdminApiKey"] = adminKey;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Webhooks__AllowedPrivateNetworks__0"] = "127.0.0.0/8";
        foreach (var limit in new[] { "Admin", "Consent", "PaymentIntents" })
        {
            info.Environment[$"RateLimits__{limit}__PermitLimit"] = "1000000";
        }

        return info;
    }

    /// <summary>A new, empty store for one run: a SQLite file in the benchmark's data folder, or a PostgreSQL database dropped afterwards.</summary>
    private sealed class CrashStore : IAsyncDisposable
    {
        private readonly string? _adminConnection;
        private readonly string? _database;

        private CrashStore(string provider, string connectionString, string? file, string? adminConnection, string? database) =>
            (Provider, ConnectionString, File, _adminConnection, _database) = (provider, connectionString, file, adminConnection, database);

        public string Provider { get; }

        public string ConnectionString { get; }

        public string? File { get; }

        public static async Task<CrashStore> CreateAsync(string root, string name)
        {
            if (name == "sqlite")
            {
                var (_, file) = Shell.FreshStore(root, "crash.db");
                return new("Sqlite", $"Data Source={file}", file, null, null);
            }

            var admin = Environment.GetEnvironmentVariable("DAXDI_TEST_POSTGRES")
                ?? throw new InvalidOperationException("--store postgresql needs DAXDI_TEST_POSTGRES (an admin connection string; .ci/run sets it).");
            var database = $"daxdi_crash_{Guid.NewGuid():N}"[..24];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }

            return new("PostgreSql", new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString(), null, admin, database);
        }

        public DaxdiDbContext Open() => File is not null
            ? Seeder.Open(File)
            : new PostgreSqlDaxdiDbContext(new DbContextOptionsBuilder<PostgreSqlDaxdiDbContext>().UseNpgsql(ConnectionString).Options);

        public async ValueTask DisposeAsync()
        {
            if (_adminConnection is null)
            {
                return;
            }

            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The API process, killed and started again on one address; writers wait on <see cref="Up"/> while it is down.</summary>
    private sealed class KilledApi(ProcessStartInfo info, string url, string logDir)
    {
        private ServerProcess? _process;
        private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _life;

        public Task Up => Volatile.Read(ref _up).Task;

        public async Task StartAsync()
        {
            _process = await ServerProcess.StartAsync(info, url + "/health/ready", Path.Combine(logDir, $"api-{++_life:D3}.log"));
            Volatile.Read(ref _up).TrySetResult();
        }

        public async Task KillAndRestartAsync()
        {
            Interlocked.Exchange(ref _up, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            Kill();
            await StartAsync();
        }

        /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly what a power cut or the OOM killer does to the process.</summary>
        public void Kill() => _process?.Dispose();
    }

    private enum Kind
    {
        ArticleSave,
        ArticlePublish,
        Consent,
        Intent,
        Webhook,
        WebhookDelete,
    }

    /// <summary>One acknowledged write: what the API answered, as the client-side log keeps it.</summary>
    private sealed record Ack(Kind Kind, string Id, int? Version = null, string? Title = null, string? Status = null, string? Hash = null,
        long? Sequence = null, string? Address = null, string? ClientSecret = null, string? Key = null, string? Body = null);

    /// <summary>The client-side log: every acknowledged write, in memory and appended to a JSON-lines file as it is answered.</summary>
    private sealed class Ledger(string file) : IDisposable
    {
        private readonly ConcurrentQueue<Ack> _acks = new();
        private readonly StreamWriter _log = new(file) { AutoFlush = true };

        private readonly ConcurrentDictionary<string, bool> _unsure = new();

        public int Count => _acks.Count;

        /// <summary>A write to <paramref name="id"/> is being sent: until it is answered, both its before and after are right.</summary>
        public void Unsure(string id) => _unsure[id] = true;

        public bool IsUnsure(string id) => _unsure.ContainsKey(id);

        public IEnumerable<Ack> All => _acks;

        public bool CoversEveryKind => Enum.GetValues<Kind>().All(k => _acks.Any(a => a.Kind == k));

        public void Add(Ack ack)
        {
            _unsure.TryRemove(ack.Id, out _);
            _acks.Enqueue(ack);
            lock (_log)
            {
                _log.WriteLine(JsonSerializer.Serialize(ack));
            }
        }

        public void Dispose() => _log.Dispose();

        public string Summary() => string.Join(", ", _acks.GroupBy(a => a.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count():N0} {g.Key}"));
    }

    /// <summary>
    /// The writers. Each works through its own articles (created, saved a few times, published) between consent
    /// decisions, payment intents and webhook subscriptions, so every kind of write is in flight when the kill comes.
    /// A request cut by the kill is unknown, neither acknowledged nor refused: the article it touched is read again.
    /// </summary>
    private sealed class Writes(HttpClient http, KilledApi api, Ledger ledger, Writes.Fixture fixture)
    {
        private readonly ConcurrentDictionary<string, int> _refusals = new();
        private int _cut;
        private int _retriedIntents;

        public int Cut => _cut;

        public int RetriedIntents => _retriedIntents;

        public string Refusals() => _refusals.IsEmpty ? "0" : string.Join(", ", _refusals.Select(r => $"{r.Key}: {r.Value}"));

        public sealed record Fixture(string Author, string[] ConsentBodies, string[] IntentBodies);

        public static async Task<Fixture> FixturesAsync(HttpClient http, string site)
        {
            var author = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/sites/{site}/authors"))!["items"]!.AsArray()[0]!["slug"]!.GetValue<string>();
            var policy = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/sites/{site}/consent-policy"))!;
            var intents = await IntentLoad.BodiesAsync(http);
            return new(author, ConsentLoad.Bodies(policy), [.. intents.Select(b => b.Json)]);
        }

        public async Task RunAsync(int writer, Random random, CancellationToken stop)
        {
            (string Id, int Version)? article = null;
            var subscriptions = new Queue<string>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await api.Up.WaitAsync(stop).ContinueWith(_ => { }, TaskScheduler.Default);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                var tag = $"w{writer}-{n}";
                try
                {
                    switch (random.Next(10))
                    {
                        case < 4: article = await ArticleStepAsync(article, tag, random); break;
                        case < 6: await ConsentAsync(tag, random); break;
                        case < 9: await IntentAsync(tag, random, stop); break;
                        default: await WebhookAsync(tag, subscriptions); break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref _cut);
                    article = article is { } known ? await ReadAgainAsync(known.Id, stop) : null;
                }
            }
        }

        /// <summary>Creates an article, saves it two to four times, then publishes it and starts another.</summary>
        private async Task<(string Id, int Version)?> ArticleStepAsync((string Id, int Version)? article, string tag, Random random)
        {
            if (article is not { } current)
            {
                using var created = await http.PostAsJsonAsync($"/api/v1/admin/sites/{Site}/articles", Draft($"Crash story {tag}", $"crash-{tag}-{Guid.NewGuid():N}"[..40]));
                return await AcknowledgedAsync(created, Kind.ArticleSave) is { } json ? (json["id"]!.GetValue<string>(), json["version"]!.GetValue<int>()) : null;
            }

            var publish = current.Version >= 3 && random.Next(2) == 0;
            using var request = publish
                ? new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/articles/{current.Id}/publish")
                : new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{current.Id}") { Content = JsonContent.Create(Draft($"Crash story {tag}", null)) };
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{current.Version}\""));
            using var response = await http.SendAsync(request);
            var saved = await AcknowledgedAsync(response, publish ? Kind.ArticlePublish : Kind.ArticleSave);
            return saved is null || publish ? null : (current.Id, saved["version"]!.GetValue<int>());
        }

        private object Draft(string title, string? slug) => new
        {
            title, slug, body = $"<p>{title}: the council met on Tuesday and <b>voted</b> on the harbour plan.</p>", bodyFormat = "html",
            authors = new[] { fixture.Author },
        };

        private async Task ConsentAsync(string tag, Random random)
        {
            var body = JsonNode.Parse(fixture.ConsentBodies[random.Next(fixture.ConsentBodies.Length)])!.AsObject();
            body["subjectId"] = $"crash_{tag}";
            using var response = await http.PostAsync($"/api/v1/sites/{Site}/consents", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            await AcknowledgedAsync(response, Kind.Consent);
        }

        /// <summary>An intent, sent again with its key after a cut, as a frontend retries: the retry must not create a second one.</summary>
        private async Task IntentAsync(string tag, Random random, CancellationToken stop)
        {
            var (key, body) = ($"crash-{tag}-{Guid.NewGuid():N}", fixture.IntentBodies[random.Next(fixture.IntentBodies.Length)]);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var response = await SendIntentAsync(http, key, body);
                    await AcknowledgedAsync(response, Kind.Intent, (key, body));
                    return;
                }
                catch (Exception e) when (attempt < 3 && e is HttpRequestException or TaskCanceledException or IOException && !stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _cut);
                    Interlocked.Increment(ref _retriedIntents);
                    await api.Up.WaitAsync(stop).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }

        public static async Task<HttpResponseMessage> SendIntentAsync(HttpClient http, string key, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{Site}/payment-intents")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await http.SendAsync(request);
        }

        /// <summary>
        /// Subscribes, or removes the writer's oldest subscription once it has two (a site may have 20). The target is a
        /// closed local port, and no event of the run is one it subscribes to.
        /// </summary>
        private async Task WebhookAsync(string tag, Queue<string> subscriptions)
        {
            if (subscriptions.Count >= 2)
            {
                var id = subscriptions.Dequeue();
                ledger.Unsure(id);
                using var deleted = await http.DeleteAsync($"/api/v1/admin/sites/{Site}/webhooks/{id}");
                if (deleted.IsSuccessStatusCode)
                {
                    ledger.Add(new Ack(Kind.WebhookDelete, id));
                }
                else
                {
                    _refusals.AddOrUpdate($"{(int)deleted.StatusCode} webhook delete", 1, (_, n) => n + 1);
                }

                return;
            }

            using var response = await http.PostAsJsonAsync($"/api/v1/admin/sites/{Site}/webhooks", new
            {
                url = $"https://127.0.0.1:9/crash/{tag}", events = new[] { "paymentIntent.canceled" }, description = $"crash harness {tag}",
            });
            if (await AcknowledgedAsync(response, Kind.Webhook) is { } created)
            {
                subscriptions.Enqueue(created["id"]!.GetValue<string>());
            }
        }

        /// <summary>Logs a 2xx answer as acknowledged and returns its body; counts anything else by status and code.</summary>
        private async Task<JsonObject?> AcknowledgedAsync(HttpResponseMessage response, Kind kind, (string Key, string Body)? intent = null)
        {
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
            if (!response.IsSuccessStatusCode || json is null)
            {
                _refusals.AddOrUpdate($"{(int)response.StatusCode} {json?["code"]}", 1, (_, n) => n + 1);
                return null;
            }

            string? Text(string name) => json[name]?.GetValue<string>();
            ledger.Add(kind switch
            {
                Kind.ArticleSave or Kind.ArticlePublish => new Ack(kind, Text("id")!, json["version"]!.GetValue<int>(), Text("title"), Text("status")),
                Kind.Consent => new Ack(kind, Text("consentId")!, Hash: Text("hash"), Sequence: json["sequence"]!.GetValue<long>()),
                Kind.Intent => new Ack(kind, Text("id")!, Address: Text("address"), ClientSecret: Text("clientSecret"), Key: intent!.Value.Key, Body: intent.Value.Body),
                _ => new Ack(kind, Text("id")!),
            });
            return json;
        }

        /// <summary>After a cut request, what the store says the article is now (the cut write may or may not have landed).</summary>
        private async Task<(string Id, int Version)?> ReadAgainAsync(string id, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await api.Up.WaitAsync(stop).ContinueWith(_ => { }, TaskScheduler.Default);
                try
                {
                    var json = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/admin/articles/{id}", stop))!;
                    return json["status"]!.GetValue<string>() == "draft" ? (id, json["version"]!.GetValue<int>()) : null;
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    // Killed again while reading.
                }
                catch (TaskCanceledException)
                {
                    return null;
                }
            }

            return null;
        }
    }

    /// <summary>The checks after the last restart, through the API and in the store itself.</summary>
    private static class Verify
    {
        public static async Task<List<string>> AllAsync(HttpClient http, CrashStore store, Ledger ledger, string site)
        {
            var problems = new List<string>();
            var acks = ledger.All.ToList();
            await ArticlesAsync(http, acks, problems);
            await IntentsAsync(http, acks, problems);
            var deleted = acks.Where(a => a.Kind == Kind.WebhookDelete).Select(a => a.Id).ToHashSet();
            foreach (var webhook in acks.Where(a => a.Kind == Kind.Webhook && !ledger.IsUnsure(a.Id)))
            {
                using var response = await http.GetAsync($"/api/v1/admin/sites/{site}/webhooks/{webhook.Id}");
                var expected = deleted.Contains(webhook.Id) ? HttpStatusCode.NotFound : HttpStatusCode.OK;
                if (response.StatusCode != expected)
                {
                    problems.Add($"webhook {webhook.Id} acknowledged {(deleted.Contains(webhook.Id) ? "deleted" : "created")}, now {(int)response.StatusCode}");
                }
            }

            var chain = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sites/{site}/consents/verification"))!;
            if (chain["ok"]?.GetValue<bool>() != true)
            {
                problems.Add($"consent chain does not verify: {chain.ToJsonString()}");
            }

            await StoreAsync(store, acks, problems);
            return problems;
        }

        /// <summary>Each article as its last acknowledged write left it, or as a later cut write did (never an older state).</summary>
        private static async Task ArticlesAsync(HttpClient http, List<Ack> acks, List<string> problems)
        {
            foreach (var last in acks.Where(a => a.Kind is Kind.ArticleSave or Kind.ArticlePublish).GroupBy(a => a.Id).Select(g => g.MaxBy(a => a.Version)!))
            {
                using var response = await http.GetAsync($"/api/v1/admin/articles/{last.Id}");
                var json = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync())! : null;
                var (version, title, status) = (json?["version"]?.GetValue<int>(), json?["title"]?.GetValue<string>(), json?["status"]?.GetValue<string>());
                if (version is null || version < last.Version || (version == last.Version && (title != last.Title || status != last.Status))
                    || (last.Status == "published" && status != "published"))
                {
                    problems.Add($"article {last.Id}: acknowledged v{last.Version} {last.Status} '{last.Title}', now {(int)response.StatusCode} v{version} {status} '{title}'");
                }
            }
        }

        /// <summary>Each intent readable with its address, and its key replaying the first answer.</summary>
        private static async Task IntentsAsync(HttpClient http, List<Ack> acks, List<string> problems)
        {
            await Parallel.ForEachAsync(acks.Where(a => a.Kind == Kind.Intent), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (intent, ct) =>
            {
                using var read = await http.GetAsync($"/api/v1/admin/payment-intents/{intent.Id}", ct);
                var stored = read.IsSuccessStatusCode ? JsonNode.Parse(await read.Content.ReadAsStringAsync(ct)) : null;
                using var replay = await Writes.SendIntentAsync(http, intent.Key!, intent.Body!);
                var again = JsonNode.Parse(await replay.Content.ReadAsStringAsync(ct))!;
                var replayed = replay.Headers.TryGetValues("Idempotent-Replayed", out var flag) && flag.Single() == "true";
                if (stored?["address"]?.GetValue<string>() != intent.Address || replay.StatusCode != HttpStatusCode.Created || !replayed
                    || again["id"]?.GetValue<string>() != intent.Id || again["address"]?.GetValue<string>() != intent.Address
                    || again["clientSecret"]?.GetValue<string>() != intent.ClientSecret)
                {
                    lock (problems)
                    {
                        problems.Add($"intent {intent.Id} (key {intent.Key}): read {(int)read.StatusCode}, stored address {stored?["address"]}, replay {(int)replay.StatusCode} replayed={replayed} id {again["id"]}");
                    }
                }
            });
        }

        /// <summary>
        /// In the store: every acknowledged consent record in place with its hash, one <c>consent.recorded</c> event per
        /// record and none without one, an article event for each published article and none for a missing article,
        /// and every intent with its own address and derivation index.
        /// </summary>
        private static async Task StoreAsync(CrashStore store, List<Ack> acks, List<string> problems)
        {
            await using var db = store.Open();
            var records = await db.ConsentRecords.AsNoTracking().ToDictionaryAsync(r => r.Id, r => (r.Sequence, r.Hash));
            foreach (var consent in acks.Where(a => a.Kind == Kind.Consent))
            {
                if (!records.TryGetValue(Guid.Parse(consent.Id), out var record) || record.Sequence != consent.Sequence || record.Hash != consent.Hash)
                {
                    problems.Add($"consent {consent.Id}: acknowledged #{consent.Sequence}, in the store {(records.ContainsKey(Guid.Parse(consent.Id)) ? $"#{record.Sequence} {record.Hash}" : "missing")}");
                }
            }

            var events = (await db.OutboxEvents.AsNoTracking().Select(e => new { e.Type, e.Body }).ToListAsync())
                .Select(e => (e.Type, Data: JsonNode.Parse(e.Body)!["data"]!)).ToList();
            var consentEvents = events.Where(e => e.Type == "consent.recorded").Select(e => e.Data["consentId"]!.GetValue<Guid>()).ToList();
            var withoutRecord = consentEvents.Count(id => !records.ContainsKey(id));
            var withoutEvent = records.Keys.Except(consentEvents).Count();
            if (withoutRecord > 0 || withoutEvent > 0 || consentEvents.Count != consentEvents.Distinct().Count())
            {
                problems.Add($"consent events: {consentEvents.Count} for {records.Count} records, {withoutRecord} without a record, {withoutEvent} records without an event");
            }

            var articles = await db.Articles.AsNoTracking().IgnoreQueryFilters().Select(a => new { a.Id, a.Status, a.Version }).ToDictionaryAsync(a => a.Id);
            var articleEvents = events.Where(e => e.Type.StartsWith("article.", StringComparison.Ordinal))
                .Select(e => (e.Type, Id: e.Data["id"]!.GetValue<Guid>(), Version: e.Data["version"]!.GetValue<int>())).ToList();
            foreach (var orphan in articleEvents.Where(e => !articles.TryGetValue(e.Id, out var a) || a.Version < e.Version))
            {
                problems.Add($"{orphan.Type} event for article {orphan.Id} v{orphan.Version}, which the store does not have");
            }

            var publishedEvents = articleEvents.Where(e => e.Type == "article.published").Select(e => e.Id).ToHashSet();
            foreach (var article in articles.Values.Where(a => a.Status == Domain.Articles.ArticleStatus.Published && !publishedEvents.Contains(a.Id)))
            {
                problems.Add($"article {article.Id} is published without an article.published event");
            }

            var intents = await db.PaymentIntents.AsNoTracking().Select(i => new { i.Id, i.Address, i.WalletId, i.KeyGeneration, i.DerivationIndex }).ToListAsync();
            var blank = intents.Count(i => string.IsNullOrEmpty(i.Address));
            var sharedAddress = intents.Count - intents.Select(i => i.Address).Distinct().Count();
            var sharedSlot = intents.Count - intents.Select(i => (i.WalletId, i.KeyGeneration, i.DerivationIndex)).Distinct().Count();
            if (blank + sharedAddress + sharedSlot > 0)
            {
                problems.Add($"intents: {blank} without an address, {sharedAddress} sharing an address, {sharedSlot} sharing a derivation index");
            }
        }

        public static async Task<List<string>> IntegrityAsync(string file)
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            var result = (string?)await check.ExecuteScalarAsync();
            return result == "ok" ? [] : [$"PRAGMA integrity_check: {result}"];
        }
    }
}
