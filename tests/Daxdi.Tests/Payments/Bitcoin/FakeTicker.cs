using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Payments.Bitcoin;

/// <summary>
/// A price ticker on Kestrel (127.0.0.1, a free port) standing in for Kraken's or Coinbase's public API: it records every
/// request's path and query and answers with <see cref="Answer"/>, after the queued <see cref="Fail"/> statuses.
/// </summary>
public sealed class FakeTicker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _failures = new();

    private FakeTicker(WebApplication app) => _app = app;

    /// <summary>The body of a 200 for a path and query; 404 when null.</summary>
    public Func<string, string?> Answer { get; set; } = _ => null;

    /// <summary>A delay before every answer.</summary>
    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeTicker> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var ticker = new FakeTicker(app);
        app.Run(ticker.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        ticker.BaseUrl = app.Urls.Single();
        return ticker;
    }

    /// <summary>The next requests answer these statuses, one each.</summary>
    public void Fail(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _failures.Enqueue(status);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request.Path + context.Request.QueryString.ToString();
        Requests.Enqueue(request);
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (_failures.TryDequeue(out var status))
        {
            context.Response.StatusCode = status;
            return;
        }

        var body = Answer(request);
        context.Response.StatusCode = body is null ? 404 : 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body ?? "{\"error\":[\"not found\"]}", context.RequestAborted);
    }
}
