using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Daxdi.Api.Hosting;
using Daxdi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Platform;

/// <summary>
/// Past its capacity a node refuses at once with 503 <c>server.overloaded</c> rather than queueing without bound.
/// A request whose body has not finished arriving holds its slot, and the node's own statistics say when the slot
/// and the queue are taken, so the tests fill the node deterministically.
/// </summary>
public sealed class LoadSheddingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_at_capacity_refuses_with_503_and_retry_after_keeps_health_answering_and_recovers()
    {
        await using var api = new ApiFactory(TestStore.Sqlite(),
            ("LoadShedding:MaxConcurrentRequests", "1"), ("LoadShedding:MaxQueuedRequests", "0"));
        var reader = await ReaderAsync(api);
        await using var held = await HoldSlotAsync(api);

        var refused = await reader.GetAsync("tags", Ct);

        await Problem.AssertAsync(refused, HttpStatusCode.ServiceUnavailable, "server.overloaded");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, await held.FinishAsync());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("tags", Ct)).StatusCode);
        Assert.Contains(api.Logs, l => l.Level == LogLevel.Warning && l.Message.StartsWith("Load shedding: refused 1 requests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_queued_request_is_served_when_a_slot_frees_within_the_queue_wait()
    {
        await using var api = new ApiFactory(TestStore.Sqlite(),
            ("LoadShedding:MaxConcurrentRequests", "1"), ("LoadShedding:MaxQueuedRequests", "1"), ("LoadShedding:MaxQueueMilliseconds", "60000"));
        var reader = await ReaderAsync(api);
        await using var held = await HoldSlotAsync(api);

        var queued = reader.GetAsync("tags", Ct);
        await UntilAsync(api, s => s.CurrentQueuedCount == 1);
        // The queue holds one: the next request is refused at once.
        await Problem.AssertAsync(await reader.GetAsync("authors", Ct), HttpStatusCode.ServiceUnavailable, "server.overloaded");

        Assert.Equal(HttpStatusCode.Created, await held.FinishAsync());
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
    }

    [Fact]
    public async Task A_queued_request_is_refused_when_no_slot_frees_within_the_queue_wait()
    {
        await using var api = new ApiFactory(TestStore.Sqlite(),
            ("LoadShedding:MaxConcurrentRequests", "1"), ("LoadShedding:MaxQueuedRequests", "8"), ("LoadShedding:MaxQueueMilliseconds", "50"));
        var reader = await ReaderAsync(api);
        await using var held = await HoldSlotAsync(api);

        var started = TimeProvider.System.GetTimestamp();
        var refused = await reader.GetAsync("tags", Ct);

        await Problem.AssertAsync(refused, HttpStatusCode.ServiceUnavailable, "server.overloaded");
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Created, await held.FinishAsync());
    }

    /// <summary>Either rule on the thread pool's delay, the other left at the factory's 60 s: the cut-off and the refused share.</summary>
    [Theory]
    [InlineData("LoadShedding:MaxThreadPoolDelayMilliseconds")]
    [InlineData("LoadShedding:TargetThreadPoolDelayMilliseconds")]
    public async Task A_node_whose_thread_pool_falls_behind_refuses_with_503_until_it_catches_up(string delaySetting)
    {
        await using var api = new ApiFactory(TestStore.Sqlite(), (delaySetting, "20"));
        // An admin read: never an output-cache hit, which is served before the limits.
        var admin = api.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/sites", Ct)).StatusCode);

        HttpResponseMessage refused;
        using (new ThreadPoolFlood())
        {
            refused = await FirstAsync(admin, r => r.StatusCode != HttpStatusCode.OK);
        }

        await Problem.AssertAsync(refused, HttpStatusCode.ServiceUnavailable, "server.overloaded");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        // Caught up: FirstAsync fails the test if no request is served within 30 s of the flood's end.
        using var served = await FirstAsync(admin, r => r.StatusCode == HttpStatusCode.OK);
    }

    /// <summary>
    /// A public reader of a new site's delivery API. Tests read different paths at once: the output cache makes a
    /// request wait for one in progress on the same path.
    /// </summary>
    private static async Task<HttpClient> ReaderAsync(ApiFactory api)
    {
        var key = $"shed{Guid.NewGuid():N}"[..16];
        (await api.Admin().PostAsync("/api/v1/admin/sites", new StringContent(
            $$"""{"key":"{{key}}","name":"Shed","domain":"shed.example","corsOrigins":[],"defaultLanguage":"en"}""",
            Encoding.UTF8, "application/json"), Ct)).EnsureSuccessStatusCode();
        var reader = api.Client();
        reader.BaseAddress = new Uri(reader.BaseAddress!, $"/api/v1/sites/{key}/");
        return reader;
    }

    /// <summary>Starts creating a site and sends half its body: the request holds the node's one slot until finished.</summary>
    private static async Task<HeldRequest> HoldSlotAsync(ApiFactory api)
    {
        var key = $"held{Guid.NewGuid():N}"[..16];
        var body = new HalfSentBody($$"""{"key":"{{key}}","name":"Held","domain":"held.example",""", """ "corsOrigins":[],"defaultLanguage":"en"}""");
        var sending = api.Admin().PostAsync("/api/v1/admin/sites", body, Ct);
        await UntilAsync(api, s => s.CurrentAvailablePermits == 0);
        return new HeldRequest(body, sending);
    }

    /// <summary>Waits for the node's slots and queue to reach a state; the test's requests are then in place.</summary>
    private static async Task UntilAsync(ApiFactory api, Func<RateLimiterStatistics, bool> state)
    {
        var shedder = api.Services.GetRequiredService<LoadSheddingMiddleware>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!state(shedder.Statistics))
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>The first answer to reading the sites, sent again and again, that matches; fails after 30 s.</summary>
    private static async Task<HttpResponseMessage> FirstAsync(HttpClient admin, Func<HttpResponseMessage, bool> match)
    {
        var deadline = TimeProvider.System.GetTimestamp() + 30 * TimeProvider.System.TimestampFrequency;
        while (TimeProvider.System.GetTimestamp() < deadline)
        {
            var response = await admin.GetAsync("/api/v1/admin/sites", Ct);
            if (match(response))
            {
                return response;
            }

            response.Dispose();
        }

        throw new TimeoutException("No matching answer within 30 s.");
    }

    /// <summary>
    /// Keeps about 200 work items of 1 ms of CPU each queued on this process's thread pool, so that a new item waits
    /// far longer than a probe may: what a node past its CPU's capacity looks like from inside.
    /// </summary>
    private sealed class ThreadPoolFlood : IDisposable
    {
        private const int Queued = 200;

        private volatile bool _stopped;
        private int _outstanding;

        public ThreadPoolFlood() => new Thread(Feed) { IsBackground = true, Name = "Thread-pool flood" }.Start();

        public void Dispose() => _stopped = true;

        private void Feed()
        {
            while (!_stopped)
            {
                while (Volatile.Read(ref _outstanding) < Queued)
                {
                    Interlocked.Increment(ref _outstanding);
                    ThreadPool.UnsafeQueueUserWorkItem(static flood => flood.Spin(), this, preferLocal: false);
                }

                Thread.Sleep(1);
            }
        }

        private void Spin()
        {
            var until = TimeProvider.System.GetTimestamp() + TimeProvider.System.TimestampFrequency / 1000;
            while (TimeProvider.System.GetTimestamp() < until)
            {
                Thread.SpinWait(10);
            }

            Interlocked.Decrement(ref _outstanding);
        }
    }

    private sealed class HeldRequest(HalfSentBody body, Task<HttpResponseMessage> sending) : IAsyncDisposable
    {
        public async Task<HttpStatusCode> FinishAsync()
        {
            body.Finish();
            return (await sending).StatusCode;
        }

        public async ValueTask DisposeAsync()
        {
            body.Finish();
            await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>A JSON body sent in two parts, the second only when <see cref="Finish"/> is called.</summary>
    private sealed class HalfSentBody : HttpContent
    {
        private readonly string _first;
        private readonly string _second;
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HalfSentBody(string first, string second)
        {
            (_first, _second) = (first, second);
            Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        }

        public void Finish() => _finish.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(_first));
            await stream.FlushAsync();
            await _finish.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(_second));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
