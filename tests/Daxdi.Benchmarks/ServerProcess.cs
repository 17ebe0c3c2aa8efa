using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Daxdi.Benchmarks;

/// <summary>
/// A server under load, in its own process so its CPU and memory are its own: the Daxdi API, or this program's
/// ceiling server. Output goes to a log file; error and critical log entries are counted.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _errorLines;

    private ServerProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
        _log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string LogFile { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ErrorLines => Volatile.Read(ref _errorLines);

    /// <summary>
    /// The Release API in <paramref name="apiFolder"/> as the harnesses start it: in Production on <paramref name="url"/>,
    /// on <paramref name="connectionString"/> with <paramref name="adminKey"/> as its bootstrap key, then
    /// <paramref name="settings"/> (environment variable names, <c>__</c> for <c>:</c>), a later one winning: a
    /// command's <c>--env</c> goes last.
    /// </summary>
    public static ProcessStartInfo Api(string apiFolder, string url, string connectionString, string adminKey,
        params IEnumerable<(string Name, string Value)> settings)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(apiFolder, "Daxdi.Api.dll"), "--urls", url]) { WorkingDirectory = apiFolder };
        info.Environment["ConnectionStrings__Daxdi"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Bootstrap__AdminApiKey"] = adminKey;
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>
    /// Rate-limit policies lifted out of the way: every client of a harness is 127.0.0.1 on one key, so the limits
    /// would make a run a benchmark of the limiter.
    /// </summary>
    public static IEnumerable<(string Name, string Value)> Unlimited(params string[] policies) =>
        policies.Select(policy => ($"RateLimits__{policy}__PermitLimit", "1000000"));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the process and waits until <paramref name="readyUrl"/> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(ProcessStartInfo info, string readyUrl, string logFile)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var server = new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."), logFile);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && !server._process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(readyUrl));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        server.Dispose();
        throw new InvalidOperationException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not answer 200 at {readyUrl}; see {logFile}.");
    }

    /// <summary>
    /// Waits until the process has (almost) stopped using the CPU. When wrk stops, the server still finishes the
    /// requests in flight (32 slow ones can take seconds); the next measurement must not pay for them.
    /// </summary>
    public async Task<TimeSpan> WaitUntilIdleAsync()
    {
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(60);
        var before = Cpu.ProcessTicks(Id);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            var now = Cpu.ProcessTicks(Id);
            // Clock ticks are 1/100 s: under 2 ticks in half a second is under 4 % of one core.
            if (now - before < 2)
            {
                break;
            }

            before = now;
        }

        return DateTime.UtcNow - started;
    }

    /// <summary>The process's peak resident set size (VmHWM), in MiB.</summary>
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(DigitsPattern().Match(line).Value, System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)
            || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errorLines);
        }

        lock (_log)
        {
            if (_log.BaseStream.CanWrite)
            {
                _log.WriteLine(line);
            }
        }
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex DigitsPattern();
}
