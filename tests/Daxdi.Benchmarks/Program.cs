using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Daxdi.Application.Security;
using Daxdi.Benchmarks;
using Daxdi.Domain.Articles;
using Microsoft.EntityFrameworkCore;

// The ceiling server is this same program, started again as a separate process.
if (args is [Ceiling.Command, "--port", var ceilingPort])
{
    await Ceiling.RunAsync(int.Parse(ceilingPort, CultureInfo.InvariantCulture));
    return 0;
}

var root = RepositoryRoot();
if (args is [HostileBodies.Command, .. var hostileArgs])
{
    return await HostileBodies.RunAsync(root, hostileArgs);
}

if (args is [WebhookDispatch.Command, .. var webhookArgs])
{
    return await WebhookDispatch.RunAsync(root, webhookArgs);
}

if (args is [Ingest.Command, .. var ingestArgs])
{
    return await Ingest.RunAsync(root, ingestArgs);
}

if (args is [ConsentLoad.Command, .. var consentArgs])
{
    return await ConsentLoad.RunAsync(root, consentArgs);
}

if (args is [SimilarityLoad.Command, .. var similarityArgs])
{
    return await SimilarityLoad.RunAsync(root, similarityArgs);
}

if (args is [CrashHarness.Command, .. var crashArgs])
{
    return await CrashHarness.RunAsync(root, crashArgs);
}

if (args is [Soak.Command, .. var soakArgs])
{
    return await Soak.RunAsync(root, soakArgs);
}

if (args is [Backpressure.Command, .. var backpressureArgs])
{
    return await Backpressure.RunAsync(root, backpressureArgs);
}

if (args is [StoreOutage.Command, .. var outageArgs])
{
    return await StoreOutage.RunAsync(root, outageArgs);
}

if (args is [IntentLoad.Command, .. var intentArgs])
{
    return await IntentLoad.RunAsync(root, intentArgs);
}

Options options;
try
{
    options = Options.Parse(args, root);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + "\n\n" + Options.Usage);
    return 2;
}

// Two runs on one data folder would delete each other's half-seeded files, and share the CPU.
await using var dataLock = TryLock(options.DataDir);
if (dataLock is null)
{
    await Console.Error.WriteLineAsync($"Another benchmark run is using {options.DataDir}; wait for it to finish or pass another --data.");
    return 1;
}

if (!Wrk.IsInstalled())
{
    await Console.Error.WriteLineAsync("wrk is not installed: apt-get install -y wrk (tests/Daxdi.Benchmarks/run.sh does this).");
    return 1;
}

var apiFolder = await Shell.BuildApiAsync(root);
if (apiFolder is null)
{
    return 1;
}

const int SettleSeconds = 5;
var logs = Directory.CreateDirectory(Path.Combine(options.DataDir, "logs")).FullName;
var scripts = Directory.CreateTempSubdirectory("daxdi-bench-");
var wrk = new Wrk(options.Connections, options.DurationSeconds, scripts.FullName);

// Other processes on the machine skew every number; say so in the report rather than hide it.
var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
if (busyBefore > 10)
{
    Console.WriteLine($"WARNING: the CPU was {busyBefore:0} % busy before the run started; the results will be unreliable.");
}

Console.WriteLine("Measuring the ceiling ...");
double ceiling, ceilingOthers;
using (var server = await StartCeilingAsync())
{
    if (options.WarmUpSeconds > 0)
    {
        await wrk.RunAsync(server.Url, new Scenario("ceiling", ["/"]), options.WarmUpSeconds);
    }

    await server.Process.WaitUntilIdleAsync();
    var others = Cpu.MeasureOthers(server.Process.Id);
    ceiling = (await wrk.MeasureAsync(server.Url, new Scenario("ceiling", ["/"]))).RequestsPerSecond;
    ceilingOthers = others();
}

Console.WriteLine($"Ceiling: {ceiling:N0} req/s");

var corpus = new Corpus();
var sizes = new List<SizeResult>();
foreach (var articles in options.Articles)
{
    var (file, seedTime) = await Seeder.EnsureAsync(options.DataDir, articles, corpus);
    var size = new SizeResult(articles, seedTime, await ScenarioSet.LoadAsync(file, corpus));
    foreach (var cache in new[] { true, false })
    {
        await MeasureApiAsync(size, file, cache);
    }

    sizes.Add(size);
}

var machine = $"{await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run{(busyBefore > 10 ? " — **results unreliable**" : "")}";
var command = "dotnet run -c Release --project tests/Daxdi.Benchmarks --" + string.Concat(args.Select(a => " " + a));
var load = $"{wrk.Settings}; each API process first gets {options.WarmUpSeconds} s of mixed load and {SettleSeconds} s of the first scenario, with the output cache on every path is requested once, and each run starts when the server is idle";
var report = Report.Markdown(machine, command, load, (ceiling, ceilingOthers), sizes);
Console.WriteLine();
Console.WriteLine(report);
if (options.OutFile is { } outFile)
{
    await File.WriteAllTextAsync(outFile, report);
    Console.WriteLine($"Written to {outFile}");
}

scripts.Delete(recursive: true);
return 0;

async Task MeasureApiAsync(SizeResult size, string file, bool cache)
{
    var port = ServerProcess.FreePort();
    var url = $"http://127.0.0.1:{port}";
    var info = new ProcessStartInfo("dotnet", [Path.Combine(apiFolder, "Daxdi.Api.dll"), "--urls", url]) { WorkingDirectory = apiFolder };
    info.Environment["ConnectionStrings__Daxdi"] = $"Data Source={file}";
    info.Environment["Seed__DemoContent"] = "false";
    info.Environment["Publishing__SchedulerEnabled"] = "false";
    info.Environment["Bootstrap__AdminApiKey"] = ApiKeySecret.Generate();
    info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    info.Environment["Logging__LogLevel__Default"] = "Warning";
    info.Environment["Delivery__OutputCacheEnabled"] = cache ? "true" : "false";
    var log = Path.Combine(logs, $"api-{size.Articles}-cache-{(cache ? "on" : "off")}.log");
    Console.WriteLine($"Starting the API on {size.Articles} articles, output cache {(cache ? "on" : "off")} (log: {log}) ...");
    using var api = await ServerProcess.StartAsync(info, url + "/health/ready", log);
    await WaitForDocumentsAsync(file);
    await SanityCheckAsync(size, url);
    // A fresh API process needs tens of seconds under load before tiered JIT reaches full speed on 2 cores;
    // measure it warm, as a node in service is.
    if (options.WarmUpSeconds > 0)
    {
        await wrk.RunAsync(url, size.Scenarios.Mixed(), options.WarmUpSeconds);
        // Right after the mixed load, whichever scenario came first measured 20–40 % lower than in any later
        // position (the runtime adapting to the new pattern outlasts a 2 s warm-up); the first one gets more time.
        await api.WaitUntilIdleAsync();
        await wrk.RunAsync(url, size.Scenarios.All[0], SettleSeconds);
    }

    foreach (var scenario in size.Scenarios.All)
    {
        if (cache)
        {
            await PrimeAsync(url, scenario);
        }

        if (await api.WaitUntilIdleAsync() is { TotalSeconds: > 2 } busy)
        {
            Console.WriteLine($"  (waited {busy.TotalSeconds:0} s for the API to finish the previous run's requests)");
        }

        var others = Cpu.MeasureOthers(api.Id);
        var result = await wrk.MeasureAsync(url, scenario, api.Id);
        size.Runs.Add(new Measurement(scenario.Name, cache, result, others()));
        Console.WriteLine($"  {scenario.Name,-16} {result.RequestsPerSecond,10:N0} req/s  p50 {result.P50Ms,8:0.00} ms  p99 {result.P99Ms,8:0.00} ms  errors {result.Errors}"
            + $"  server CPU {result.ServerCpuMs:0.000} ms/request"
            + $"  (other processes: {size.Runs[^1].OthersCpuPercent:0} % CPU)");
    }

    size.PeakRssMb[cache] = api.PeakRssMb();
    if (api.ErrorLines > 0)
    {
        size.Notes.Add($"the API logged {api.ErrorLines} error entries with the output cache {(cache ? "on" : "off")}; see {log}");
    }
}

// One request per scenario before the load: a wrong path would otherwise only show up as errors in the table.
async Task SanityCheckAsync(SizeResult size, string url)
{
    using var http = new HttpClient { BaseAddress = new Uri(url) };
    foreach (var scenario in size.Scenarios.All)
    {
        using var response = await http.GetAsync(new Uri(scenario.Paths[0], UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var items = -1;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var json = JsonDocument.Parse(body);
            items = json.RootElement.TryGetProperty("items", out var list) ? list.GetArrayLength() : -1;
        }

        if (response.StatusCode != HttpStatusCode.OK || items == 0)
        {
            var problem = $"{scenario.Name}: GET {scenario.Paths[0]} answered {(int)response.StatusCode} {(items == 0 ? "with no items" : body)}";
            Console.WriteLine("  WARNING " + problem);
            size.Notes.Add(problem);
        }
    }
}

// Articles seeded straight into the file have no public documents until the API renders them in the background
// (a node in service has them), so the runs start after that.
static async Task WaitForDocumentsAsync(string file)
{
    await using var db = Seeder.Open(file);
    var published = await db.Articles.CountAsync(a => a.Status == ArticleStatus.Published);
    var started = DateTime.UtcNow;
    int rendered;
    while ((rendered = await db.PublishedArticleDocuments.CountAsync()) < published)
    {
        if (DateTime.UtcNow - started > TimeSpan.FromMinutes(10))
        {
            throw new InvalidOperationException($"The API rendered {rendered} of {published} public documents in 10 minutes.");
        }

        await Task.Delay(1000);
    }

    if (DateTime.UtcNow - started > TimeSpan.FromSeconds(2))
    {
        Console.WriteLine($"  (waited {(DateTime.UtcNow - started).TotalSeconds:0} s for the API to render {published:N0} public documents)");
    }
}

// "Cached" means served from the output cache: every path is asked for once first, or the slower misses of
// a short run would dominate the measurement.
static async Task PrimeAsync(string url, Scenario scenario)
{
    using var http = new HttpClient { BaseAddress = new Uri(url) };
    await Parallel.ForEachAsync(scenario.Paths, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (path, ct) =>
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
    });
}

async Task<CeilingServer> StartCeilingAsync()
{
    var port = ServerProcess.FreePort();
    var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Daxdi.Benchmarks.dll"), Ceiling.Command, "--port", port.ToString(CultureInfo.InvariantCulture)]);
    var url = $"http://127.0.0.1:{port}";
    return new CeilingServer(await ServerProcess.StartAsync(info, url + "/", Path.Combine(logs, "ceiling.log")), url);
}

static FileStream? TryLock(string folder)
{
    Directory.CreateDirectory(folder);
    try
    {
        // FileShare.None takes an exclusive advisory lock that another process cannot get.
        return new FileStream(Path.Combine(folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }
    catch (IOException)
    {
        return null;
    }
}

static string RepositoryRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Daxdi.sln")))
            {
                return dir.FullName;
            }
        }
    }

    throw new InvalidOperationException("Daxdi.sln not found above the current directory or the program.");
}

/// <summary>The ceiling server's process and address.</summary>
internal sealed record CeilingServer(ServerProcess Process, string Url) : IDisposable
{
    public void Dispose() => Process.Dispose();
}
