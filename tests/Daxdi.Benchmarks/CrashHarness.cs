using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Daxdi.Application.Security;

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
        var options = new CommandLine()
            .Text("--store", name => storeName = name)
            .Number("--kills", 1, n => kills = n)
            .Number("--writers", 1, n => writers = n)
            .Number("--seed", int.MinValue, n => seed = n)
            .File("--trx", f => trx = f);
        if (!options.TryParse(args, Usage))
        {
            return 2;
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
        var writes = new Writes(http, () => api.Up, ledger, await Writes.FixturesAsync(http, Site));

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
        var problems = await Verify.AllAsync(http, store, ledger, writes, Site);
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
        text.AppendLine(CultureInfo.InvariantCulture, $"| subscriptions left by cut requests, removed at the site's limit | {writes.OrphansRemoved} |");
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

    /// <summary>
    /// The API on <paramref name="store"/>, with the demo content and no rate limit in the way of the writers, then
    /// <paramref name="settings"/>.
    /// </summary>
    public static ProcessStartInfo ApiInfo(string apiFolder, CrashStore store, string adminKey, string url,
        params IEnumerable<(string Name, string Value)> settings) =>
        ServerProcess.Api(apiFolder, url, store.ConnectionString, adminKey,
        [
            ("Database__Provider", store.Provider), ("Seed__DemoContent", "true"), ("Logging__LogLevel__Default", "Warning"),
            ("Webhooks__AllowedPrivateNetworks__0", "127.0.0.0/8"), .. ServerProcess.Unlimited("Admin", "Consent", "PaymentIntents"),
            .. settings,
        ]);

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
}
