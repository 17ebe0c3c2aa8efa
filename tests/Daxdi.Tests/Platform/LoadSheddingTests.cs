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
