using System.Collections.Concurrent;
using System.Diagnostics;

namespace Daxdi.Benchmarks;

/// <summary>
/// Requests sent on a fixed schedule, whether or not earlier ones came back (an open loop: a slow server does not slow
/// the clients down, as with real readers), each timed from when it goes out: the sender never waits for an answer,
/// so only its own CPU can make it late, and that lag is not the server's.
/// </summary>
internal sealed class OpenLoop(int maxInFlight)
{
    private ConcurrentBag<Sample> _samples = [];
    private int _running;
    private int _skipped;

    /// <summary>One request's outcome: its status (0 when no answer came, then <see cref="Failure"/> says why).</summary>
    public readonly record struct Sample(string Kind, int Status, double Milliseconds, string? Failure = null);

    /// <summary>Requests not sent because <c>maxInFlight</c> were already waiting: the server had fallen far behind.</summary>
    public int Skipped => _skipped;

    /// <summary>Sends <paramref name="perSecond"/> requests a second until <paramref name="stop"/>, each on its own schedule slot.</summary>
    public async Task PaceAsync(string kind, double perSecond, Func<int, Task<HttpResponseMessage>> send, CancellationToken stop)
    {
        if (perSecond <= 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var due = TimeSpan.FromSeconds(n / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (Volatile.Read(ref _running) >= maxInFlight)
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }

            _ = SendAsync(kind, send, n);
        }
    }

    /// <summary>The samples since the last call.</summary>
    public Sample[] Take() => [.. Interlocked.Exchange(ref _samples, [])];

    public async Task DrainAsync()
    {
        while (Volatile.Read(ref _running) > 0)
        {
            await Task.Delay(100);
        }
    }

    public static double Percentile(IEnumerable<Sample> samples, int percent)
    {
        var sorted = samples.Where(s => s.Status != 0).Select(s => s.Milliseconds).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
    }

    private async Task SendAsync(string kind, Func<int, Task<HttpResponseMessage>> send, int n)
    {
        Interlocked.Increment(ref _running);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await send(n);
            await response.Content.ReadAsByteArrayAsync();
            Volatile.Read(ref _samples).Add(new Sample(kind, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception e)
        {
            // Sent without awaiting: an exception not recorded here would vanish unobserved, and the run would look clean.
            Volatile.Read(ref _samples).Add(new Sample(kind, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.GetType().Name));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
