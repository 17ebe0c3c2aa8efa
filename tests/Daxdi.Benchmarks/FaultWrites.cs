using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Infrastructure.Persistence.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Daxdi.Benchmarks;

// The writes of the fault harnesses (crash, outage), the client-side log of what was acknowledged, and the checks
// that every acknowledged write is in the store as it was acknowledged, with nothing half-written beside it.

/// <summary>A new, empty store for one run: a SQLite file in the benchmark's data folder, or a PostgreSQL database dropped afterwards.</summary>
internal sealed class CrashStore : IAsyncDisposable
{
    private readonly string? _adminConnection;
    private readonly string? _database;

    private CrashStore(string provider, string connectionString, string? file, string? adminConnection, string? database) =>
        (Provider, ConnectionString, File, _adminConnection, _database) = (provider, connectionString, file, adminConnection, database);

    public string Provider { get; }

    public string ConnectionString { get; }

    public string? File { get; }

    public static CrashStore ForSqlite(string file) => new("Sqlite", $"Data Source={file}", file, null, null);

    public static async Task<CrashStore> CreateAsync(string root, string name)
    {
        if (name == "sqlite")
        {
            return ForSqlite(Shell.FreshStore(root, "crash.db").File);
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

internal enum Kind
{
    ArticleSave,
    ArticlePublish,
    Consent,
    Intent,
    Webhook,
    WebhookDelete,
}

/// <summary>One acknowledged write: what the API answered, as the client-side log keeps it.</summary>
internal sealed record Ack(Kind Kind, string Id, int? Version = null, string? Title = null, string? Status = null, string? Hash = null,
    long? Sequence = null, string? Address = null, string? ClientSecret = null, string? Key = null, string? Body = null);

/// <summary>The client-side log: every acknowledged write, in memory and appended to a JSON-lines file as it is answered.</summary>
internal sealed class Ledger(string file) : IDisposable
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

    private readonly ConcurrentQueue<(Kind Kind, string Identity)> _refused = new();

    /// <summary>Writes answered 503, by what they would have left in the store: an article's slug, a consent's subject, a subscription's description.</summary>
    public IReadOnlyCollection<(Kind Kind, string Identity)> Refused => _refused;

    public void Refuse(Kind kind, string identity) => _refused.Enqueue((kind, identity));

    public void Dispose() => _log.Dispose();

    public string Summary() => string.Join(", ", _acks.GroupBy(a => a.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count():N0} {g.Key}"));
}

/// <summary>
/// The writers. Each works through its own articles (created, saved a few times, published) between consent
/// decisions, payment intents and webhook subscriptions, so every kind of write is in flight when the kill comes.
/// A request cut by a kill is unknown, neither acknowledged nor refused: the article it touched is read again. A
/// request the API refused (a 503 while the store is down) is logged as refused: it must leave no trace.
/// </summary>
/// <param name="up">Completes when the API is up; writers wait on it after a cut request.</param>
internal sealed class Writes(HttpClient http, Func<Task> up, Ledger ledger, Writes.Fixture fixture)
{
    public const string Site = "daxdi";

    private readonly ConcurrentDictionary<string, int> _refusals = new();
    private int _cut;
    private int _retriedIntents;
    private int _orphansRemoved;

    /// <summary>Descriptions of the subscriptions whose create is in flight: landed perhaps, not yet acknowledged.</summary>
    private readonly ConcurrentDictionary<string, bool> _creating = new();

    public int Cut => _cut;

    public int RetriedIntents => _retriedIntents;

    /// <summary>Subscriptions that cut requests had created, removed when the site reached its limit.</summary>
    public int OrphansRemoved => _orphansRemoved;

    public string Refusals() => _refusals.IsEmpty ? "0" : string.Join(", ", _refusals.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {r.Value}"));

    /// <summary>
    /// Answers no fault excuses: a 500, a 412 (an earlier write the writer was told failed had landed after all), or a
    /// 503 without <c>Retry-After</c>.
    /// </summary>
    public IEnumerable<string> WrongAnswers() => _refusals.Where(r => r.Key.StartsWith("500", StringComparison.Ordinal)
        || r.Key.StartsWith("412", StringComparison.Ordinal) || r.Key.Contains("without Retry-After", StringComparison.Ordinal)).Select(r => $"{r.Value} × {r.Key}");

    /// <summary>A request without an answer; an answer that the outcome is unknown is handled alike but is not one.</summary>
    private void CountCut(Exception e)
    {
        if (e is not OutcomeUnknownException)
        {
            Interlocked.Increment(ref _cut);
        }
    }

    private Task WaitUpAsync(CancellationToken stop) => up().WaitAsync(stop).ContinueWith(_ => { }, TaskScheduler.Default);

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
            await WaitUpAsync(stop);
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
                CountCut(e);
                article = article is { } known ? await ReadAgainAsync(known.Id, stop) : null;
            }
        }
    }

    /// <summary>Creates an article, saves it two to four times, then publishes it and starts another.</summary>
    private async Task<(string Id, int Version)?> ArticleStepAsync((string Id, int Version)? article, string tag, Random random)
    {
        if (article is not { } current)
        {
            var slug = $"crash-{tag}-{Guid.NewGuid():N}"[..40];
            using var created = await http.PostAsJsonAsync($"/api/v1/admin/sites/{Site}/articles", Draft($"Crash story {tag}", slug));
            return await AcknowledgedAsync(created, Kind.ArticleSave, slug) is { } json ? (json["id"]!.GetValue<string>(), json["version"]!.GetValue<int>()) : null;
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
        await AcknowledgedAsync(response, Kind.Consent, body["subjectId"]!.GetValue<string>());
    }

    /// <summary>
    /// An intent, sent again with its key after a cut or a 503, as a frontend retries: the retry must answer the first
    /// attempt's intent when that one landed, and never make a second.
    /// </summary>
    private async Task IntentAsync(string tag, Random random, CancellationToken stop)
    {
        var (key, body) = ($"crash-{tag}-{Guid.NewGuid():N}", fixture.IntentBodies[random.Next(fixture.IntentBodies.Length)]);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await SendIntentAsync(http, key, body);
                if (await AcknowledgedAsync(response, Kind.Intent, key, body) is null && response.StatusCode == HttpStatusCode.ServiceUnavailable
                    && attempt < 20 && !stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _retriedIntents);
                    await Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(_ => { }, TaskScheduler.Default);
                    continue;
                }

                return;
            }
            catch (Exception e) when (attempt < 3 && e is HttpRequestException or TaskCanceledException or IOException && !stop.IsCancellationRequested)
            {
                CountCut(e);
                Interlocked.Increment(ref _retriedIntents);
                await WaitUpAsync(stop);
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
            // Kept until the delete is answered: one refused or cut is sent again, or the subscription would hold one
            // of the site's 20 for the rest of the run.
            var id = subscriptions.Peek();
            ledger.Unsure(id);
            using var deleted = await http.DeleteAsync($"/api/v1/admin/sites/{Site}/webhooks/{id}");
            if (deleted.IsSuccessStatusCode)
            {
                subscriptions.Dequeue();
                ledger.Add(new Ack(Kind.WebhookDelete, id));
                return;
            }

            _refusals.AddOrUpdate($"{(int)deleted.StatusCode} webhook delete", 1, (_, n) => n + 1);
            if (deleted.StatusCode == HttpStatusCode.NotFound)
            {
                subscriptions.Dequeue();
            }

            return;
        }

        var description = $"crash harness {tag}";
        _creating[description] = true;
        try
        {
            using var response = await http.PostAsJsonAsync($"/api/v1/admin/sites/{Site}/webhooks", new
            {
                url = $"https://127.0.0.1:9/crash/{tag}", events = new[] { "paymentIntent.canceled" }, description,
            });
            if (await AcknowledgedAsync(response, Kind.Webhook, description) is { } created)
            {
                subscriptions.Enqueue(created["id"]!.GetValue<string>());
                return;
            }

            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                return;
            }
        }
        finally
        {
            _creating.TryRemove(description, out _);
        }

        await RemoveOrphanAsync();
    }

    /// <summary>
    /// Over many kills, subscriptions created by cut requests (landed, never acknowledged, known to no writer) fill the
    /// site's 20: one of them is removed, so creating stays one of the writes in flight.
    /// </summary>
    private async Task RemoveOrphanAsync()
    {
        // Listed, then the creates in flight, then the acknowledged, in that order: a create that had landed when the
        // list was taken is still in flight at the second step or, as it is logged before it leaves the flight,
        // acknowledged at the third. Only one cut by a kill is neither.
        var listed = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sites/{Site}/webhooks?limit=100"))!["items"]!.AsArray();
        var inFlight = _creating.Keys.ToHashSet();
        var acknowledged = ledger.All.Where(a => a.Kind == Kind.Webhook).Select(a => a.Id).ToHashSet();
        if (listed.Where(w => !inFlight.Contains(w!["description"]?.GetValue<string>() ?? ""))
                .Select(w => w!["id"]!.GetValue<string>()).FirstOrDefault(id => !acknowledged.Contains(id)) is { } orphan)
        {
            using var deleted = await http.DeleteAsync($"/api/v1/admin/sites/{Site}/webhooks/{orphan}");
            if (deleted.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _orphansRemoved);
            }
        }
    }

    /// <summary>
    /// Logs a 2xx answer as acknowledged and returns its body. Anything else is counted by status and code; a 503's
    /// write is logged as refused by <paramref name="identity"/> (what the write would have left in the store).
    /// </summary>
    private async Task<JsonObject?> AcknowledgedAsync(HttpResponseMessage response, Kind kind, string? identity = null, string? intentBody = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        if (!response.IsSuccessStatusCode || json is null)
        {
            var retryAfter = response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null ? " without Retry-After" : "";
            _refusals.AddOrUpdate($"{(int)response.StatusCode} {json?["code"]}{retryAfter}", 1, (_, n) => n + 1);
            if (json?["code"]?.GetValue<string>() == "store.outcome_unknown")
            {
                throw new OutcomeUnknownException();
            }

            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && identity is not null && kind != Kind.Intent)
            {
                ledger.Refuse(kind, identity);
            }

            return null;
        }

        string? Text(string name) => json[name]?.GetValue<string>();
        ledger.Add(kind switch
        {
            Kind.ArticleSave or Kind.ArticlePublish => new Ack(kind, Text("id")!, json["version"]!.GetValue<int>(), Text("title"), Text("status")),
            Kind.Consent => new Ack(kind, Text("consentId")!, Hash: Text("hash"), Sequence: json["sequence"]!.GetValue<long>()),
            Kind.Intent => new Ack(kind, Text("id")!, Address: Text("address"), ClientSecret: Text("clientSecret"), Key: identity, Body: intentBody),
            _ => new Ack(kind, Text("id")!),
        });
        return json;
    }

    /// <summary>After a cut request, what the store says the article is now (the cut write may or may not have landed).</summary>
    private async Task<(string Id, int Version)?> ReadAgainAsync(string id, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await WaitUpAsync(stop);
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

/// <summary>
/// The API answered <c>503 store.outcome_unknown</c>: the connection to the database broke during the commit, which
/// may have landed. The writer treats it as a cut request (reads the article again, sends the intent again with its
/// key), never as a refusal that must have left nothing.
/// </summary>
internal sealed class OutcomeUnknownException() : IOException("The API answered store.outcome_unknown.");

/// <summary>The checks after the last restart, through the API and in the store itself.</summary>
internal static class Verify
{
    public static async Task<List<string>> AllAsync(HttpClient writers, CrashStore store, Ledger ledger, Writes writes, string site)
    {
        using var http = new HttpClient(new RetryRefusals()) { BaseAddress = writers.BaseAddress, Timeout = writers.Timeout };
        http.DefaultRequestHeaders.Authorization = writers.DefaultRequestHeaders.Authorization;
        var problems = writes.WrongAnswers().Select(a => $"answered {a}").ToList();
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
        await RefusedAsync(store, ledger.Refused, problems);
        return problems;
    }

    /// <summary>
    /// Sends a check again while the API refuses it for load (<c>503 server.overloaded</c>: nothing was done), after its
    /// <c>Retry-After</c>, as any client would. A process just restarted compiles its code under the checks' burst and
    /// refuses some of it; counted as a missing write, each refusal would report a loss that is not there.
    /// </summary>
    private sealed class RetryRefusals() : DelegatingHandler(new SocketsHttpHandler())
    {
        private const int Attempts = 30;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (attempt == Attempts || response.StatusCode != HttpStatusCode.ServiceUnavailable
                    || !(await response.Content.ReadAsStringAsync(cancellationToken)).Contains("\"code\":\"server.overloaded\"", StringComparison.Ordinal))
                {
                    return response;
                }

                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                await Task.Delay(wait, cancellationToken);
            }
        }
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

    /// <summary>No write answered 503 left anything behind.</summary>
    private static async Task RefusedAsync(CrashStore store, IReadOnlyCollection<(Kind Kind, string Identity)> refused, List<string> problems)
    {
        await using var db = store.Open();
        List<string> Of(Kind kind) => [.. refused.Where(r => r.Kind == kind).Select(r => r.Identity)];
        var (slugs, subjects, descriptions) = (Of(Kind.ArticleSave), Of(Kind.Consent), Of(Kind.Webhook));
        var applied = await db.Articles.IgnoreQueryFilters().CountAsync(a => slugs.Contains(a.Slug))
            + await db.ConsentRecords.CountAsync(r => subjects.Contains(r.SubjectId!))
            + await db.WebhookSubscriptions.CountAsync(w => descriptions.Contains(w.Description!));
        if (applied > 0)
        {
            problems.Add($"{applied} of {refused.Count} writes answered 503 were applied");
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
