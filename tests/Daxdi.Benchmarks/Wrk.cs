using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Daxdi.Benchmarks;

/// <summary>
/// What one wrk run measured. Errors are non-2xx/3xx responses plus socket errors. <see cref="ServerCpuMs"/> is the
/// server's user and system CPU time per request over the run, when the server's process was given.
/// </summary>
internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Non2xx, long Connect, long Read, long Write, long Timeout)
{
    public double? ServerCpuMs { get; init; }

    public long Errors => Non2xx + Connect + Read + Write + Timeout;

    public string ErrorBreakdown => string.Join(", ", new[] { ("non-2xx/3xx", Non2xx), ("connect", Connect), ("read", Read), ("write", Write),
        ("timeouts (no answer within wrk's 2 s)", Timeout) }.Where(e => e.Item2 > 0).Select(e => $"{e.Item2} {e.Item1}"));
}

/// <summary>Runs wrk (a 2 s warm-up that is thrown away, then the measured run) through a Lua script per scenario.</summary>
internal sealed partial class Wrk(int connections, int durationSeconds, string scriptFolder)
{
    public const int WarmUpSeconds = 2;
    public const int Threads = 2;

    public static bool IsInstalled()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("wrk", ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            process?.WaitForExit();
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public string Settings => $"wrk -t{Math.Min(Threads, connections)} -c{connections} -d{durationSeconds}s --latency, after a {WarmUpSeconds} s warm-up";

    public async Task<WrkResult> MeasureAsync(string baseUrl, Scenario scenario, int? serverPid = null)
    {
        var script = await WriteScriptAsync(scenario);
        await RunOnceAsync(baseUrl, script, WarmUpSeconds);
        var ticks = serverPid is { } before ? Cpu.ProcessTicks(before) : 0;
        var result = Parse(await RunOnceAsync(baseUrl, script, durationSeconds));
        return serverPid is { } pid && result.Requests > 0
            ? result with { ServerCpuMs = (Cpu.ProcessTicks(pid) - ticks) * Cpu.MillisecondsPerTick / result.Requests }
            : result;
    }

    /// <summary>One unrecorded run of <paramref name="seconds"/>.</summary>
    public async Task RunAsync(string baseUrl, Scenario scenario, int seconds) =>
        await RunOnceAsync(baseUrl, await WriteScriptAsync(scenario), seconds);

    /// <summary>Parses wrk's report; latencies are converted to milliseconds.</summary>
    public static WrkResult Parse(string output)
    {
        var requests = RequestsPattern().Match(output);
        var total = TotalPattern().Match(output);
        var p50 = PercentilePattern().Matches(output).FirstOrDefault(m => m.Groups[1].Value == "50");
        var p99 = PercentilePattern().Matches(output).FirstOrDefault(m => m.Groups[1].Value == "99");
        if (!requests.Success || !total.Success || p50 is null || p99 is null)
        {
            throw new FormatException("Unexpected wrk output:\n" + output);
        }

        var non2xx = Non2xxPattern().Match(output);
        var socket = SocketPattern().Match(output);
        long Socket(int group) => socket.Success ? long.Parse(socket.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(
            double.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(p50),
            Milliseconds(p99),
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Socket(1), Socket(2), Socket(3), Socket(4));
    }

    private static double Milliseconds(Match percentile)
    {
        var value = double.Parse(percentile.Groups[2].Value, CultureInfo.InvariantCulture);
        return percentile.Groups[3].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            "m" => value * 60_000,
            var unit => throw new FormatException($"Unknown wrk latency unit '{unit}'."),
        };
    }

    private async Task<string> WriteScriptAsync(Scenario scenario)
    {
        var script = Path.Combine(scriptFolder, scenario.Name + ".lua");
        await File.WriteAllTextAsync(script, Script(scenario.Paths));
        return script;
    }

    /// <summary>
    /// Each request takes the next path; each wrk thread starts at a different place in the list, so the threads
    /// do not ask for the same path at the same moment.
    /// </summary>
    private static string Script(IReadOnlyList<string> paths)
    {
        var lua = new StringBuilder("local paths = {\n");
        foreach (var path in paths)
        {
            if (path.Contains('"', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Path cannot be quoted for Lua: {path}", nameof(paths));
            }

            lua.Append("  \"").Append(path).Append("\",\n");
        }

        lua.Append("""
            }
            local threads = 0
            function setup(thread)
              thread:set("offset", threads * 7919)
              threads = threads + 1
            end
            local i = 0
            function init(args)
              i = (offset or 0) % #paths
            end
            function request()
              i = i % #paths + 1
              return wrk.format("GET", paths[i])
            end

            """);
        return lua.ToString();
    }

    private async Task<string> RunOnceAsync(string baseUrl, string script, int seconds)
    {
        var info = new ProcessStartInfo("wrk",
            [$"-t{Math.Min(Threads, connections)}", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, baseUrl])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }

        return await output;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex PercentilePattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketPattern();
}
