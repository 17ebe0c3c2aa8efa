using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Daxdi.Application.Security;

namespace Daxdi.Benchmarks;

/// <summary>
/// Cookie-banner decisions posted to the real API (Release, Kestrel on 127.0.0.1, SQLite) by many concurrent visitors,
/// against the demo site's published policy; then the site's chain is verified over the admin API.
/// </summary>
internal static class ConsentLoad
{
    public const string Command = "consent";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- consent [options]
          visitors post consent decisions to the demo site (docs/performance.md, consent records)
          --decisions N    decisions to post, timed (default: 20000)
          --connections N  concurrent visitors (default: 32)
          --warmup N       decisions first, not timed (default: 2000)
          --out FILE       also write the markdown report to FILE
          --env NAME=VALUE a setting for the API process; repeatable
        """;

    private const string Site = "daxdi";

    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (decisions, connections, warmUp, outFile) = (20_000, 32, 2_000, (string?)null);
        var options = new CommandLine().WithEnv()
            .Number("--decisions", 1, n => decisions = n)
            .Number("--connections", 1, n => connections = n)
            .Number("--warmup", 0, n => warmUp = n)
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

        var (dataDir, file) = Shell.FreshStore(root, "consent.db");

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        var adminKey = ApiKeySecret.Generate();
        var port = ServerProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = ServerProcess.Api(apiFolder, url, $"Data Source={file}", adminKey,
            [("Seed__DemoContent", "true"), .. ServerProcess.Unlimited("Consent"), .. options.Environment]);

        var log = Path.Combine(dataDir, "consent.log");
        using var api = await ServerProcess.StartAsync(info, url + "/health/ready", log);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(url) };
        var policy = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/sites/{Site}/consent-policy"))!;
        var bodies = Bodies(policy);

        Console.WriteLine($"Warming up with {warmUp} decisions ...");
        await LoadAsync(http, bodies, warmUp, connections);
        await api.WaitUntilIdleAsync();
        Console.WriteLine($"Posting {decisions:N0} decisions with {connections} connections ...");
        var serverTicks = Cpu.ProcessTicks(api.Id);
        var others = Cpu.MeasureOthers(api.Id);
        var clock = Stopwatch.StartNew();
        var result = await LoadAsync(http, bodies, decisions, connections);
        var wall = clock.Elapsed;
        var serverCpu = (Cpu.ProcessTicks(api.Id) - serverTicks) * Cpu.MillisecondsPerTick;
        var othersPercent = others();

        using var verify = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/admin/sites/{Site}/consents/verification");
        verify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var verifyClock = Stopwatch.StartNew();
        using var verified = await http.SendAsync(verify);
        var report = JsonNode.Parse(await verified.Content.ReadAsStringAsync())!;
        var verifySeconds = verifyClock.Elapsed.TotalSeconds;

        var sorted = result.Latencies.Order().ToArray();
        double Percentile(int p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Daxdi.Benchmarks -- {string.Join(' ', args.Prepend(Command))}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"Load: {connections} concurrent visitors posting decisions to site `{Site}` (in turn, those the policy's controls allow: acceptAll, rejectAll, custom granting and refusing, implied), {warmUp} first as a warm-up.");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| decisions recorded (201) | {result.Recorded:N0} of {decisions:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| decisions/s | {result.Recorded / wall.TotalSeconds:0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| latency p50 / p99 | {Percentile(50):0.0} / {Percentile(99):0.0} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| errors | {(result.Errors.IsEmpty ? "0" : string.Join(", ", result.Errors.Select(e => $"{e.Key}: {e.Value}")))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| server CPU per decision | {serverCpu / Math.Max(1, result.Recorded):0.00} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| other processes' CPU during the load | {othersPercent:0} % of the machine |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| chain after the run | ok: {report["ok"]}, {report["length"]} records, verified in {verifySeconds:0.0} s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| API peak RSS | {api.PeakRssMb():0} MB |");
        Console.WriteLine();
        Console.WriteLine(text);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, text.ToString());
        }

        return result.Errors.IsEmpty && report["ok"]?.GetValue<bool>() == true ? 0 : 1;
    }

    /// <summary>One request body per kind of decision, with the control keys the published policy gives them.</summary>
    public static string[] Bodies(JsonObject policy)
    {
        var version = policy["number"]?.GetValue<int>() ?? policy["version"]!.GetValue<int>();
        var controls = policy["controls"]!.AsArray().Select(c => (Key: c!["key"]!.GetValue<string>(), Meaning: c["meaning"]!.GetValue<string>())).ToList();
        string? Key(string meaning) => controls.Find(c => c.Meaning == meaning).Key;
        var optional = policy["categories"]!.AsArray().Where(c => !c!["required"]!.GetValue<bool>()).Select(c => c!["key"]!.GetValue<string>()).ToList();
        var bodies = new List<string>();
        void Add(string decision, string? control, object? categories = null)
        {
            if (control is not null)
            {
                bodies.Add(JsonSerializer.Serialize(new { policyVersion = version, decision, control, categories, url = "https://daxdi.example/news/bench", language = "en" },
                    WithoutNulls));
            }
        }

        Add("acceptAll", Key("acceptAll"));
        Add("rejectAll", Key("rejectAll"));
        Add("custom", Key("savePreferences"), optional.ToDictionary(k => k, _ => true));
        Add("custom", Key("savePreferences"), optional.ToDictionary(k => k, _ => false));
        Add("implied", Key("implied"));
        return [.. bodies];
    }

    private static async Task<(int Recorded, ConcurrentBag<double> Latencies, ConcurrentDictionary<string, int> Errors)> LoadAsync(
        HttpClient http, string[] bodies, int count, int connections)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var next = -1;
        var recorded = 0;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync($"/api/v1/sites/{Site}/consents",
                        new StringContent(bodies[i % bodies.Length], Encoding.UTF8, "application/json"));
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode == System.Net.HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref recorded);
                    }
                    else
                    {
                        errors.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException e)
                {
                    errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        })));
        return (recorded, latencies, errors);
    }
}
