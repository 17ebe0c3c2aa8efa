using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Daxdi.Application.Security;

namespace Daxdi.Benchmarks;

/// <summary>
/// Load past what the API can serve: it must refuse the excess at once (503 or 429 problems with <c>Retry-After</c>)
/// and keep serving the requests it accepts in time, rather than queueing everyone until clients time out. The run
/// finds the saturation rate (clients that wait for each answer give a first figure, then an open loop offers 25 % more
/// a step until two steps in a row accept no more; the most it accepted in a step is the rate), measures the p99 at half
/// that rate in an open loop, then sends twice the rate and compares the p99 of the accepted requests.
/// The API runs on one core and the load generator on the other: sharing both, the generator starved at the same
/// moment as the API, and its own backlog (requests due but not yet sent) hid the server's.
/// </summary>
internal static class Backpressure
{
    public const string Command = "backpressure";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- backpressure [options]
          twice the saturation rate of uncached public reads (docs/performance.md, backpressure)
          --seconds N      seconds of each measured phase (default: 20)
          --workers N      clients that find the saturation rate, each waiting for its answer (default: 64)
          --env NAME=VALUE a setting for the API process; repeatable
          --out FILE       also write the markdown report to FILE
          --trx FILE       also write the outcome as a one-test TRX file (CI counts it with the tests)
        """;

    private const string Site = "daxdi";

    /// <summary>Accepted requests' p99 at twice the saturation rate, at most this many times the unsaturated p99.</summary>
    private const double P99Factor = 5;

    /// <summary>
    /// Share of requests that may be refused at half the saturation rate: a pause of the API's one core (a blocking
    /// collection, a burst of JIT compilation) leaves a backlog that the thread-pool limit refuses for a moment.
    /// </summary>
    private const double CalmRefusalShare = 0.01;

    /// <summary>
    /// The ramp goes on until this many steps in a row have not raised the most accepted a second by
    /// <see cref="RampGain"/>. Refusals alone do not mark saturation: a step can refuse a few percent for a moment at a
    /// rate the node serves (a collection, new connections), and stopping at the first such step put the saturation at
    /// half the rate the node went on to accept.
    /// </summary>
    private const int StepsPastSaturation = 2;

    private const double RampGain = 1.05;

    /// <summary>Each step of the ramp offers this much more than the last.</summary>
    private const double RampFactor = 1.25;

    private static readonly TimeSpan RampStep = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(40);

    private static readonly TimeSpan OverloadWarmUp = TimeSpan.FromSeconds(15);

    /// <summary>A client gives up after this: an answer later than it is a request lost to queueing.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (seconds, workers, outFile, trx) = (20, 64, (string?)null, (string?)null);
        var options = new CommandLine().WithEnv()
            .Number("--seconds", 1, n => seconds = n)
            .Number("--workers", 1, n => workers = n)
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

        var clock = Stopwatch.StartNew();
        var (dataDir, file) = Shell.FreshStore(root, "backpressure.db");
        await using var store = CrashStore.ForSqlite(file);
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        // Every read a cache miss: hits are served from memory before the limit and are not what saturates a node.
        var info = OnCore(0, CrashHarness.ApiInfo(apiFolder, store, ApiKeySecret.Generate(), url,
            [("Delivery__OutputCacheEnabled", "false"), .. options.Environment]));
        var machine = await Shell.MachineAsync(root);
        // Every thread of this process (-a): Process.ProcessorAffinity pins only the calling thread on Linux, and the
        // generator's thread-pool and GC threads went on running on the API's core.
        var pinned = await Shell.RunAsync("taskset", ["-a", "-p", "-c", "1", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)], root);
        if (pinned.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync($"Could not pin the load generator to core 1: {pinned.Output}");
            return 1;
        }

        using var api = await ServerProcess.StartAsync(info, url + "/health/ready", Path.Combine(dataDir, "backpressure.log"));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 })
        {
            BaseAddress = new Uri(url), Timeout = ClientTimeout,
        };
        var slugs = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/sites/{Site}/articles?limit=50"))!["items"]!.AsArray()
            .Select(a => a!["slug"]!.GetValue<string>()).ToArray();
        var badRefusals = 0;
        async Task<HttpResponseMessage> ReadAsync(int n)
        {
            var response = await http.GetAsync(n % 2 == 0 ? $"/api/v1/sites/{Site}/articles?limit=10" : $"/api/v1/sites/{Site}/articles/{slugs[n % slugs.Length]}");
            if (IsRefusal((int)response.StatusCode)
                && (response.Headers.RetryAfter is null || !(await response.Content.ReadAsStringAsync()).Contains("\"code\":\"server.overloaded\"", StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref badRefusals);
            }

            return response;
        }

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        Console.WriteLine($"Backpressure: warming up, then {seconds} s per phase");
        // Tiered JIT needs tens of seconds under load, and compiles again for a load it has not seen (refusals, hundreds
        // of connections): on one core its compilations took half the CPU in the phases they fell in. A node that is
        // overloaded in service has run for hours, so the warm-up includes an overload too.
        var (warmRate, _) = await ClosedLoopAsync(workers, WarmUp, ReadAsync);
        await OpenLoopAsync(2 * warmRate, OverloadWarmUp, ReadAsync, http);
        await api.WaitUntilIdleAsync();
        var (closedLoop, refusedInClosedLoop) = await ClosedLoopAsync(workers, TimeSpan.FromSeconds(seconds), ReadAsync);
        Console.WriteLine($"  {workers} waiting clients: {closedLoop:N0} requests/s, {refusedInClosedLoop} refused");
        // What the waiting clients completed is a floor: a step can start behind (a collection, the last step's backlog).
        var (ramp, saturation, stale) = (new List<Phase>(), closedLoop, 0);
        for (var rate = closedLoop; ramp.Count < 12 && stale < StepsPastSaturation; rate *= RampFactor)
        {
            await api.WaitUntilIdleAsync();
            ramp.Add(await OpenLoopAsync(rate, RampStep, ReadAsync, http));
            Console.WriteLine($"  ramp: {ramp[^1].Row}");
            var accepted = ramp[^1].AcceptedPerSecond;
            stale = accepted > RampGain * saturation ? 0 : stale + 1;
            saturation = Math.Max(saturation, accepted);
        }

        Console.WriteLine($"  saturation: {saturation:N0} requests/s");
        await api.WaitUntilIdleAsync();
        var calm = await OpenLoopAsync(saturation / 2, TimeSpan.FromSeconds(seconds), ReadAsync, http);
        Console.WriteLine($"  half the rate: {calm.Row}");
        await api.WaitUntilIdleAsync();
        var overload = await OpenLoopAsync(saturation * 2, TimeSpan.FromSeconds(seconds), ReadAsync, http);
        Console.WriteLine($"  twice the rate: {overload.Row}");

        var failures = new List<string>();
        if (calm.Refused > CalmRefusalShare * calm.Sent || calm.Errors > 0)
        {
            failures.Add($"at half the saturation rate {calm.Refused} requests were refused (at most {CalmRefusalShare:P0} may be) and {calm.Errors} failed");
        }

        if (overload.Errors > 0)
        {
            failures.Add($"{overload.Errors} requests at twice the rate failed (a 5xx other than 503, or no answer within {ClientTimeout.TotalSeconds:0} s)");
        }

        if (overload.Refused == 0)
        {
            failures.Add("nothing was refused at twice the saturation rate");
        }

        if (badRefusals > 0)
        {
            failures.Add($"{badRefusals} refusals lacked Retry-After or the server.overloaded problem");
        }

        if (!(overload.P99 <= P99Factor * calm.P99))
        {
            failures.Add($"accepted p99 {overload.P99:0.0} ms is over {P99Factor}× the unsaturated p99 {calm.P99:0.0} ms");
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}, CPU {busyBefore:0} % busy (other processes) just before the run.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Daxdi.Benchmarks -- {string.Join(' ', args.Prepend(Command))}`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{workers} clients that each wait for their answer: {closedLoop:N0} requests/s ({refusedInClosedLoop} refused). Open-loop ramp from there, {RampStep.TotalSeconds:0} s a step:");
        text.AppendLine();
        text.AppendLine(Phase.Header);
        foreach (var step in ramp)
        {
            text.AppendLine(step.Row);
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Saturation: {saturation:N0} requests/s, the most completed by the waiting clients or accepted in a step. Half and twice that, {seconds} s each:");
        text.AppendLine();
        text.AppendLine(Phase.Header);
        text.AppendLine(calm.Row);
        text.AppendLine(overload.Row);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Accepted p99 at twice the rate ÷ p99 at half the rate: {overload.P99 / calm.P99:0.0}× (limit {P99Factor}×).");
        text.AppendLine(failures.Count == 0 ? "Outcome: pass." : $"Outcome: FAIL: {string.Join("; ", failures)}.");
        Console.WriteLine();
        Console.WriteLine(text);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, text.ToString());
        }

        if (trx is not null)
        {
            await Trx.WriteAsync(trx, "Backpressure", failures.Count == 0, clock.Elapsed, text.ToString());
        }

        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The same process started by <c>taskset</c> on one core (it executes the command in its own process).</summary>
    private static ProcessStartInfo OnCore(int core, ProcessStartInfo info)
    {
        var pinned = new ProcessStartInfo("taskset", ["-c", core.ToString(CultureInfo.InvariantCulture), info.FileName, .. info.ArgumentList])
        {
            WorkingDirectory = info.WorkingDirectory,
        };
        foreach (var (name, value) in info.Environment)
        {
            pinned.Environment[name] = value;
        }

        return pinned;
    }

    private static bool IsRefusal(int status) => status is (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.TooManyRequests;

    /// <summary>Requests a second that <paramref name="workers"/> clients complete, each sending its next on the last answer.</summary>
    private static async Task<(double PerSecond, int Refused)> ClosedLoopAsync(int workers, TimeSpan duration, Func<int, Task<HttpResponseMessage>> send)
    {
        var (completed, refused) = (0, 0);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            for (var n = worker; clock.Elapsed < duration; n += workers)
            {
                using var response = await send(n);
                await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref completed);
                }
                else if (IsRefusal((int)response.StatusCode))
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }));
        return (completed / clock.Elapsed.TotalSeconds, refused);
    }

    /// <summary>
    /// <paramref name="perSecond"/> requests a second for <paramref name="duration"/>, with a readiness probe each
    /// second beside them; the requests still in flight at the end are waited for and counted, and the rate accepted
    /// is over the time until the last answer.
    /// </summary>
    private static async Task<Phase> OpenLoopAsync(double perSecond, TimeSpan duration, Func<int, Task<HttpResponseMessage>> send, HttpClient http)
    {
        var load = new OpenLoop(maxInFlight: 20_000);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(
            load.PaceAsync("read", perSecond, send, stop.Token),
            load.PaceAsync("ready", 1, _ => http.GetAsync("/health/ready"), stop.Token));
        await load.DrainAsync();
        var elapsed = clock.Elapsed;
        var samples = load.Take();
        var reads = samples.Where(s => s.Kind == "read").ToList();
        var accepted = reads.Where(s => s.Status is >= 200 and < 300).ToList();
        var probes = samples.Where(s => s.Kind == "ready").ToList();
        return new Phase(
            perSecond,
            reads.Count + load.Skipped,
            accepted.Count / elapsed.TotalSeconds,
            reads.Count(s => IsRefusal(s.Status)),
            reads.Count(s => s.Status is 0 or >= 500 && !IsRefusal(s.Status)) + load.Skipped,
            OpenLoop.Percentile(accepted, 50),
            OpenLoop.Percentile(accepted, 99),
            probes.Count(p => p.Status != (int)HttpStatusCode.OK),
            probes.Select(p => p.Milliseconds).DefaultIfEmpty(double.NaN).Max());
    }

    private sealed record Phase(double Rate, int Sent, double AcceptedPerSecond, int Refused, int Errors, double P50, double P99,
        int ProbesNotReady, double SlowestProbe)
    {
        public const string Header = """
            | offered | sent | accepted/s | refused (503/429) | errors | accepted p50 | accepted p99 | `/health/ready` not 200 | slowest probe |
            | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
            """;

        public string Row => string.Create(CultureInfo.InvariantCulture,
            $"| {Rate:N0}/s | {Sent:N0} | {AcceptedPerSecond:N0} | {Refused:N0} | {Errors} | {P50:0.0} ms | {P99:0.0} ms | {ProbesNotReady} | {SlowestProbe:0.0} ms |");
    }
}
