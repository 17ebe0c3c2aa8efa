using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Daxdi.Application.Security;

namespace Daxdi.Benchmarks;

/// <summary>
/// PostgreSQL stopped under load and started again, the API left running: while the store is down every write must
/// be refused with a 503 problem carrying <c>Retry-After</c> (never a 500, never a hang) and <c>/health/ready</c> must
/// say unhealthy; afterwards the same process must take writes again by itself. Then the crash harness's checks: every
/// acknowledged write is in the store as acknowledged, and no refused write left anything behind.
/// </summary>
internal static class StoreOutage
{
    public const string Command = "outage";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- outage --stop CMD --start CMD [options]
          stops PostgreSQL under writes and starts it again (docs/operations.md, store outage); needs DAXDI_TEST_POSTGRES
          --stop CMD       shell command that stops the PostgreSQL server, e.g. "pg_ctlcluster 15 main stop -m fast"
          --start CMD      shell command that starts it again, e.g. "pg_ctlcluster 15 main start"
          --seconds N      how long the store stays down (default: 10)
          --writers N      concurrent writers (default: 8)
          --trx FILE       also write the outcome as a one-test TRX file (CI counts it with the tests)
        """;

    /// <summary>Npgsql's pool finds its broken connections on use and opens new ones: writes must be back well within this.</summary>
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (stopCommand, startCommand, seconds, writers, trx) = ((string?)null, (string?)null, 10, 8, (string?)null);
        var options = new CommandLine()
            .Text("--stop", command => stopCommand = command)
            .Text("--start", command => startCommand = command)
            .Number("--seconds", 1, n => seconds = n)
            .Number("--writers", 1, n => writers = n)
            .File("--trx", f => trx = f);
        if (!options.TryParse(args, Usage))
        {
            return 2;
        }

        if (stopCommand is null || startCommand is null)
        {
            await Console.Error.WriteLineAsync($"--stop and --start are required.\n\n{Usage}");
            return 2;
        }

        var started = Stopwatch.StartNew();
        try
        {
            var (passed, report) = await RunAsync(root, args, stopCommand, startCommand, TimeSpan.FromSeconds(seconds), writers);
            if (trx is not null)
            {
                await Trx.WriteAsync(trx, "StoreOutage.postgresql", passed, started.Elapsed, report);
            }

            return passed ? 0 : 1;
        }
        catch (Exception e) when (trx is not null)
        {
            await Trx.WriteAsync(trx, "StoreOutage.postgresql", passed: false, started.Elapsed, e.ToString());
            throw;
        }
    }

    private static async Task<(bool Passed, string Report)> RunAsync(string root, IReadOnlyList<string> args, string stopCommand, string startCommand,
        TimeSpan outage, int writers)
    {
        var apiFolder = await Shell.BuildApiAsync(root) ?? throw new InvalidOperationException("The API did not build.");
        await using var store = await CrashStore.CreateAsync(root, "postgresql");
        var logDir = Directory.CreateDirectory(Path.Combine(root, "tests", "Daxdi.Benchmarks", "data", "outage")).FullName;
        var adminKey = ApiKeySecret.Generate();
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        using var api = await ServerProcess.StartAsync(CrashHarness.ApiInfo(apiFolder, store, adminKey, url), url + "/health/ready", Path.Combine(logDir, "api.log"));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = writers * 2 })
        {
            BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var ledger = new Ledger(Path.Combine(logDir, "acknowledged.jsonl"));
        var writes = new Writes(http, () => Task.CompletedTask, ledger, await Writes.FixturesAsync(http, Writes.Site));

        using var stop = new CancellationTokenSource();
        var health = new ConcurrentQueue<(TimeSpan At, HttpStatusCode Status)>();
        var clock = Stopwatch.StartNew();
        var polling = PollHealthAsync(url, health, clock, stop.Token);
        var writerTasks = Enumerable.Range(0, writers).Select(n => writes.RunAsync(n, new Random(n + 1), stop.Token)).ToList();

        Console.WriteLine($"Store outage: {writers} writers; PostgreSQL stops in 5 s for {outage.TotalSeconds:0} s; logs in {logDir}");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var acknowledgedBefore = ledger.Count;
        var down = clock.Elapsed;
        TimeSpan stopped, starting, up;
        int acknowledgedWhileDown, refusedWhileDown;
        try
        {
            await ShAsync(stopCommand);
            stopped = clock.Elapsed;
            acknowledgedWhileDown = ledger.Count;
            await Task.Delay(outage - (stopped - down) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
            refusedWhileDown = ledger.Refused.Count;
        }
        finally
        {
            // Whatever failed, the server is started again: the tests after this harness need it.
            starting = clock.Elapsed;
            await ShAsync(startCommand);
            up = clock.Elapsed;
        }

        Console.WriteLine($"  stopped at {down.TotalSeconds:0.0} s (down by {stopped.TotalSeconds:0.0} s), started again at {up.TotalSeconds:0.0} s");

        var countAtStart = ledger.Count;
        var recovered = (TimeSpan?)null;
        while (clock.Elapsed - up < RecoveryLimit && recovered is null)
        {
            await Task.Delay(100);
            if (ledger.Count > countAtStart)
            {
                recovered = clock.Elapsed - up;
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await Task.WhenAll(writerTasks);
        await polling;

        Console.WriteLine("Checking ...");
        var problems = await Verify.AllAsync(http, store, ledger, writes, Writes.Site);
        // From the stop command's return to the start command's call: the server accepts connections before that command returns.
        var healthDown = health.Where(h => h.At > stopped && h.At < starting).ToList();
        var healthAfter = health.Where(h => h.At > up + (recovered ?? RecoveryLimit)).ToList();
        if (healthDown.Count == 0 || healthDown.Any(h => h.Status != HttpStatusCode.ServiceUnavailable))
        {
            problems.Add($"/health/ready while the store was down: {Statuses(healthDown)} (expected 503 only)");
        }

        if (healthAfter.Count == 0 || healthAfter[^1].Status != HttpStatusCode.OK)
        {
            problems.Add($"/health/ready after recovery: {Statuses(healthAfter)} (expected to end on 200)");
        }

        if (recovered is null)
        {
            problems.Add($"no write was acknowledged within {RecoveryLimit.TotalSeconds:0} s of the store's start");
        }

        if (refusedWhileDown == 0)
        {
            problems.Add("no write was refused while the store was down: the outage was not seen");
        }

        if (writes.Cut > 0)
        {
            problems.Add($"{writes.Cut} requests got no answer within 30 s or lost their connection (expected a 503 at once)");
        }

        if (api.HasExited)
        {
            problems.Add("the API process exited");
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {await Shell.MachineAsync(root)}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Daxdi.Benchmarks -- {string.Join(' ', args.Prepend(Command).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a))}`");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| store down | {(up - down).TotalSeconds:0.0} s (the stop command took {(stopped - down).TotalSeconds:0.0} s) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| writes acknowledged before / while stopping / in all | {acknowledgedBefore:N0} / {acknowledgedWhileDown - acknowledgedBefore:N0} / {ledger.Count:N0} ({ledger.Summary()}) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| writes refused with 503 (must leave nothing behind) | {ledger.Refused.Count:N0}, and {writes.RetriedIntents:N0} intent attempts retried with their key |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| answers other than 2xx | {writes.Refusals()} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| `/health/ready` while down | {Statuses(healthDown)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| first acknowledged write after the start | {(recovered is { } r ? $"{r.TotalSeconds:0.0} s" : "none")}, same process |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| lost, half-written or wrongly answered | **{(problems.Count == 0 ? "none" : problems.Count.ToString(CultureInfo.InvariantCulture))}** |");
        foreach (var problem in problems.Take(20))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {problem}");
        }

        Console.WriteLine();
        Console.WriteLine(text);
        return (problems.Count == 0 && ledger.CoversEveryKind, text.ToString());
    }

    private static string Statuses(IEnumerable<(TimeSpan At, HttpStatusCode Status)> polls) =>
        string.Join(", ", polls.GroupBy(p => (int)p.Status).Select(g => $"{g.Count()} × {(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}")) is { Length: > 0 } s ? s : "no polls";

    private static async Task PollHealthAsync(string url, ConcurrentQueue<(TimeSpan, HttpStatusCode)> health, Stopwatch clock, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready", stop);
                health.Enqueue((clock.Elapsed, response.StatusCode));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                health.Enqueue((clock.Elapsed, 0));
            }
            catch (TaskCanceledException)
            {
                return;
            }

            await Task.Delay(250, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task ShAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not run {command}.");
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' exited with {process.ExitCode}: {output}");
        }
    }
}
