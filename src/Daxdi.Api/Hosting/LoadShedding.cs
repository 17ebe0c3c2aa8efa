using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using Daxdi.Infrastructure.Startup;

namespace Daxdi.Api.Hosting;

/// <summary>Configuration section <c>LoadShedding</c>: how much work one node takes on at once.</summary>
public sealed class LoadSheddingOptions
{
    public const string Section = "LoadShedding";

    /// <summary>Requests processed at the same time; more wait in the queue.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 32;

    /// <summary>Requests waiting for a slot; one more is refused at once.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>How long a request waits in the queue before it is refused.</summary>
    [Range(1, 60_000)]
    public int MaxQueueMilliseconds { get; set; } = 20;

    /// <summary>
    /// The thread-pool delay the node steers for (<see cref="RefusalShare"/>): while new work items wait longer for a
    /// thread, a growing share of new requests is refused at once, and the share falls again as the delay comes down.
    /// At or over <see cref="MaxThreadPoolDelayMilliseconds"/> it has no effect.
    /// </summary>
    [Range(1, 60_000)]
    public int TargetThreadPoolDelayMilliseconds { get; set; } = 2;

    /// <summary>
    /// How long a new work item may wait for a thread-pool thread before every new request is refused at once: past the
    /// CPU's capacity requests wait in the socket buffers and the process's queues before any middleware runs, where no
    /// limit on the requests in flight sees them (<see cref="ThreadPoolDelay"/>).
    /// </summary>
    [Range(1, 60_000)]
    public int MaxThreadPoolDelayMilliseconds { get; set; } = 10;
}

/// <summary>
/// Bounds the work in flight on this node. Past its capacity a server that accepts everything answers everyone late:
/// the queue grows until clients time out, and they retry into it. This one answers what it can in time and refuses
/// the rest at once with 503 <c>server.overloaded</c> and <c>Retry-After</c>, which costs microseconds. It runs after
/// the output cache, so cached pages are still served from memory, and never holds back <c>/health</c>: a probe that
/// timed out would take a busy node out of service or restart it, which sheds everything.
/// </summary>
public sealed class LoadSheddingMiddleware : IMiddleware, IDisposable
{
    public const int RetryAfterSeconds = 1;

    public const string OverloadedDetail = "The server is at capacity; retry after 1 s.";

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrencyLimiter _limiter;
    private readonly ThreadPoolDelay _threadPoolDelay;
    private readonly RefusalShare _refusalShare;
    private readonly TimeSpan _maxThreadPoolDelay;
    private readonly LoadSheddingOptions _options;
    private readonly ILogger<LoadSheddingMiddleware> _logger;
    private readonly TimeProvider _time;
    private readonly Counter<long> _shedCounter;
    private long _shedSinceWarning;
    private long _lastWarning;

    public LoadSheddingMiddleware(LoadSheddingOptions options, ILogger<LoadSheddingMiddleware> logger, TimeProvider time, IMeterFactory meters)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _lastWarning = time.GetTimestamp() - (long)(WarningInterval.TotalSeconds * time.TimestampFrequency);
        _maxThreadPoolDelay = TimeSpan.FromMilliseconds(options.MaxThreadPoolDelayMilliseconds);
        _refusalShare = new RefusalShare(TimeSpan.FromMilliseconds(options.TargetThreadPoolDelayMilliseconds));
        _threadPoolDelay = new ThreadPoolDelay(_refusalShare.Observe);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentRequests,
            QueueLimit = options.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var meter = meters.Create("Daxdi.Api");
        _shedCounter = meter.CreateCounter<long>("daxdi.requests.shed", "{request}",
            "Requests refused with 503 server.overloaded because the node was at capacity.");
        meter.CreateObservableUpDownCounter("daxdi.requests.active", () => options.MaxConcurrentRequests - Statistics.CurrentAvailablePermits,
            "{request}", "Requests holding one of the node's slots.");
        meter.CreateObservableUpDownCounter("daxdi.requests.queued", () => Statistics.CurrentQueuedCount,
            "{request}", "Requests waiting for a slot.");
        meter.CreateObservableGauge("daxdi.threadpool.delay", () => _threadPoolDelay.Current.TotalSeconds, "s",
            "How long a new work item waits for a thread-pool thread.");
        meter.CreateObservableGauge("daxdi.requests.refusal_share", () => _refusalShare.Current, "1",
            "The share of new requests refused to hold the thread-pool delay near its target.");
    }

    /// <summary>Slots free and requests queued now.</summary>
    public RateLimiterStatistics Statistics => _limiter.GetStatistics()!;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        using var lease = await AcquireAsync(context.RequestAborted);
        if (lease is null)
        {
            await ShedAsync(context);
            return;
        }

        await next(context);
    }

    public void Dispose()
    {
        _threadPoolDelay.Dispose();
        _limiter.Dispose();
    }

    /// <summary>A slot at once if one is free, else after a bounded wait in the queue; <c>null</c> when refused.</summary>
    private async ValueTask<RateLimitLease?> AcquireAsync(CancellationToken requestAborted)
    {
        _threadPoolDelay.RequestArrived();
        if (_threadPoolDelay.Current > _maxThreadPoolDelay || _refusalShare.Refuses())
        {
            return null;
        }

        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired || _options.MaxQueuedRequests == 0)
        {
            return lease.IsAcquired ? lease : Refused(lease);
        }

        lease.Dispose();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        wait.CancelAfter(_options.MaxQueueMilliseconds);
        try
        {
            lease = await _limiter.AcquireAsync(1, wait.Token);
            return lease.IsAcquired ? lease : Refused(lease);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    private static RateLimitLease? Refused(RateLimitLease lease)
    {
        lease.Dispose();
        return null;
    }

    private Task ShedAsync(HttpContext context)
    {
        _shedCounter.Add(1);
        WarnAtMostEveryInterval();
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.ServerOverloaded,
            "Server overloaded", OverloadedDetail);
    }

    /// <summary>One warning per interval with the count since the last: an overload must not also flood the logs.</summary>
    private void WarnAtMostEveryInterval()
    {
        Interlocked.Increment(ref _shedSinceWarning);
        var last = Interlocked.Read(ref _lastWarning);
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(last, now) < WarningInterval || Interlocked.CompareExchange(ref _lastWarning, now, last) != last)
        {
            return;
        }

        var shed = Interlocked.Exchange(ref _shedSinceWarning, 0);
        _logger.LogWarning("Load shedding: refused {Shed} requests with 503 since the last warning; {Concurrent} run at once and {Queued} may wait {Wait} ms (LoadShedding options)",
            shed, _options.MaxConcurrentRequests, _options.MaxQueuedRequests, _options.MaxQueueMilliseconds);
    }
}

public static class LoadShedding
{
    public static IServiceCollection AddDaxdiLoadShedding(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(StartupOptions.Read<LoadSheddingOptions>(configuration, LoadSheddingOptions.Section));
        return services.AddSingleton<LoadSheddingMiddleware>();
    }
}
