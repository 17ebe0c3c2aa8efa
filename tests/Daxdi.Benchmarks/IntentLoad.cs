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
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Benchmarks;

/// <summary>
/// Payment intents created on the real API (Release, Kestrel on 127.0.0.1, SQLite) by many concurrent frontends, each
/// with its own <c>Idempotency-Key</c>, against the demo site's offers and testnet wallet; then every address is checked
/// to be handed out once, and a sample of the requests is sent again to check that they replay.
/// </summary>
internal static class IntentLoad
{
    public const string Command = "intents";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- intents [options]
          frontends create payment intents on the demo site (docs/performance.md, payment intents)
          --intents N      intents to create, timed (default: 20000)
          --connections N  concurrent frontends (default: 32)
          --warmup N       intents first, not timed (default: 2000)
          --replays N      requests sent again afterwards with their key, to check the replay (default: 200)
          --out FILE       also write the markdown report to FILE
          --env NAME=VALUE a setting for the API process; repeatable
        """;

    private const string Site = "daxdi";

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (intents, connections, warmUp, replays, outFile) = (20_000, 32, 2_000, 200, (string?)null);
        var options = new CommandLine().WithEnv()
            .Number("--intents", 1, n => intents = n)
            .Number("--connections", 1, n => connections = n)
            .Number("--warmup", 0, n => warmUp = n)
            .Number("--replays", 0, n => replays = n)
            .File("--out", f => outFile = f);
        if (!options.TryParse(args, Usage))
        {
            return 2;
        }

        var apiFolder = await Shell.BuildApiAsync(root);
        if (apiFolder is null)
        {
            return 1;
        }

        var (dataDir, file) = Shell.FreshStore(root, "intents.db");

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        var adminKey = ApiKeySecret.Generate();
        var port = ServerProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = ServerProcess.Api(apiFolder, url, $"Data Source={file}", adminKey,
            [("Seed__DemoContent", "true"), .. ServerProcess.Unlimited("PaymentIntents", "Admin"), .. options.Environment]);

        var log = Path.Combine(dataDir, "intents.log");
        using var api = await ServerProcess.StartAsync(info, url + "/health/ready", log);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(url) };
        var bodies = await BodiesAsync(http);

        Console.WriteLine($"Warming up with {warmUp} intents ...");
        var warm = await LoadAsync(http, bodies, 0, warmUp, connections);
        await api.WaitUntilIdleAsync();
        Console.WriteLine($"Creating {intents:N0} intents with {connections} connections ...");
        var serverTicks = Cpu.ProcessTicks(api.Id);
        var others = Cpu.MeasureOthers(api.Id);
        var clock = Stopwatch.StartNew();
        var result = await LoadAsync(http, bodies, warmUp, intents, connections);
        var wall = clock.Elapsed;
        var serverCpu = (Cpu.ProcessTicks(api.Id) - serverTicks) * Cpu.MillisecondsPerTick;
        var othersPercent = others();
        await api.WaitUntilIdleAsync();

        var replay = await ReplayAsync(http, bodies, result.Created, replays);
        var store = await CountStoreAsync(file);
        using var walletRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/admin/sites/{Site}/wallet");
        walletRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var walletResponse = await http.SendAsync(walletRequest);
        var wallet = JsonNode.Parse(await walletResponse.Content.ReadAsStringAsync())!;

        var created = warm.Created.Count + result.Created.Count;
        var answered = warm.Created.Values.Concat(result.Created.Values).Select(c => c.Address).ToList();
        var duplicatesAnswered = answered.Count - answered.Distinct(StringComparer.Ordinal).Count();
        var addressesOk = store.Intents == created && store.DistinctAddresses == created && store.DistinctSlots == created
            && duplicatesAnswered == 0 && wallet["nextIndex"]?.GetValue<int>() == created;

        var sorted = result.Latencies.Order().ToArray();
        double Percentile(int p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Daxdi.Benchmarks -- {string.Join(' ', args.Prepend(Command))}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"Load: {connections} concurrent frontends creating intents on site `{Site}`, each with its own Idempotency-Key, in turn: {string.Join(", ", bodies.Select(b => b.Name).Distinct())}; {warmUp} first as a warm-up.");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| intents created (201) | {result.Created.Count:N0} of {intents:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| intents/s | {result.Created.Count / wall.TotalSeconds:0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| latency p50 / p99 | {Percentile(50):0.0} / {Percentile(99):0.0} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| errors | {Errors(result.Errors)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| server CPU per intent | {serverCpu / Math.Max(1, result.Created.Count):0.00} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| other processes' CPU during the load | {othersPercent:0} % of the machine |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| addresses (warm-up included) | {store.Intents:N0} intents in the store, {store.DistinctAddresses:N0} distinct addresses, {store.DistinctSlots:N0} distinct derivation indexes, {duplicatesAnswered} duplicates answered, wallet's next index {wallet["nextIndex"]}: **{(addressesOk ? "no duplicate" : "DUPLICATES OR LOSSES")}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| replays (same key and body, afterwards) | {replay.Replayed} of {replay.Sent} answered 201 with `Idempotent-Replayed: true` and the first id, address and client secret{(replay.Problems.IsEmpty ? "" : "; " + string.Join("; ", replay.Problems.Take(3)))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| API peak RSS | {api.PeakRssMb():0} MB |");
        if (api.ErrorLines > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"\nThe API logged {api.ErrorLines} error entries; see {log}.");
        }

        Console.WriteLine();
        Console.WriteLine(text);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, text.ToString());
        }

        return result.Errors.IsEmpty && warm.Errors.IsEmpty && addressesOk && replay.Replayed == replay.Sent ? 0 : 1;
    }

    private static string Errors(ConcurrentDictionary<string, int> errors) =>
        errors.IsEmpty ? "0" : string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}"));

    /// <summary>
    /// Request bodies for what the demo site sells, read from its public offers: each membership plan, donations across
    /// the bounds, and unlocks of several published articles.
    /// </summary>
    public static async Task<Body[]> BodiesAsync(HttpClient http)
    {
        var offers = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/sites/{Site}/offers"))!;
        var articles = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/sites/{Site}/articles?limit=5"))!["items"]!.AsArray()
            .Select(a => a!["id"]!.GetValue<string>()).ToList();
        var bodies = new List<Body>();
        foreach (var plan in offers["membershipPlans"]!.AsArray())
        {
            bodies.Add(new("membership", JsonSerializer.Serialize(new { purpose = "membership", planKey = plan!["key"]!.GetValue<string>(), customerReference = "bench-reader" })));
        }

        if (offers["donation"] is JsonObject donation)
        {
            var (min, max) = (donation["min"]!.GetValue<long>(), donation["max"]!.GetValue<long>());
            foreach (var amount in new[] { min, Math.Min(max, 500), Math.Min(max, 2_500), max })
            {
                bodies.Add(new("donation", JsonSerializer.Serialize(new { purpose = "donation", amount, metadata = new Dictionary<string, string> { ["campaign"] = "bench" } })));
            }
        }

        if (offers["articleUnlockPrice"] is not null)
        {
            bodies.AddRange(articles.Select(id => new Body("articleUnlock", JsonSerializer.Serialize(new { purpose = "articleUnlock", articleId = id }))));
        }

        return [.. bodies];
    }

    /// <summary>Requests <paramref name="first"/> … first + count − 1, each with its own key; the created intents by request number.</summary>
    private static async Task<LoadResult> LoadAsync(HttpClient http, Body[] bodies, int first, int count, int connections)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var created = new ConcurrentDictionary<int, CreatedIntent>();
        var next = first - 1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < first + count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await SendAsync(http, bodies, i);
                    var json = await response.Content.ReadAsStringAsync();
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var intent = JsonNode.Parse(json)!;
                        created[i] = new(intent["id"]!.GetValue<string>(), intent["address"]!.GetValue<string>(), intent["clientSecret"]!.GetValue<string>());
                    }
                    else
                    {
                        var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonNode.Parse(json)?["code"]?.GetValue<string>() : null;
                        errors.AddOrUpdate($"{(int)response.StatusCode}{(code is null ? "" : " " + code)}", 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException e)
                {
                    errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        })));
        return new(created, latencies, errors);
    }

    /// <summary>Request number <paramref name="i"/>: its body, and a key that request number alone uses.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Body[] bodies, int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{Site}/payment-intents")
        {
            Content = new StringContent(bodies[i % bodies.Length].Json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", $"bench-{i:D8}-{RunId}");
        return await http.SendAsync(request);
    }

    private static readonly string RunId = Guid.NewGuid().ToString("N");

    /// <summary>Sends <paramref name="count"/> of the timed requests again, unchanged: each must replay its first answer.</summary>
    private static async Task<(int Sent, int Replayed, ConcurrentBag<string> Problems)> ReplayAsync(HttpClient http, Body[] bodies,
        ConcurrentDictionary<int, CreatedIntent> created, int count)
    {
        var sample = created.Keys.Order().Where((_, n) => n % Math.Max(1, created.Count / Math.Max(1, count)) == 0).Take(count).ToList();
        var replayed = 0;
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await SendAsync(http, bodies, i);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
            var first = created[i];
            if (response.StatusCode == HttpStatusCode.Created && response.Headers.TryGetValues("Idempotent-Replayed", out var flag) && flag.Single() == "true"
                && json["id"]?.GetValue<string>() == first.Id && json["address"]?.GetValue<string>() == first.Address
                && json["clientSecret"]?.GetValue<string>() == first.ClientSecret)
            {
                Interlocked.Increment(ref replayed);
            }
            else
            {
                problems.Add($"request {i}: {(int)response.StatusCode} {json["code"]}");
            }
        });
        return (sample.Count, replayed, problems);
    }

    /// <summary>What the store holds after the run, read from the SQLite file itself.</summary>
    private static async Task<(int Intents, int DistinctAddresses, int DistinctSlots)> CountStoreAsync(string file)
    {
        await using var db = Seeder.Open(file);
        var intents = db.PaymentIntents.AsNoTracking();
        return (await intents.CountAsync(), await intents.Select(i => i.Address).Distinct().CountAsync(),
            await intents.Select(i => new { i.WalletId, i.KeyGeneration, i.DerivationIndex }).Distinct().CountAsync());
    }

    public sealed record Body(string Name, string Json);

    private sealed record CreatedIntent(string Id, string Address, string ClientSecret);

    private sealed record LoadResult(ConcurrentDictionary<int, CreatedIntent> Created, ConcurrentBag<double> Latencies, ConcurrentDictionary<string, int> Errors);
}
