using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Support;

/// <summary>
/// A webhook receiver on Kestrel (127.0.0.1, a free port), as an integrator runs one: it records every request as it
/// arrives and answers with <see cref="Answer"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request, in order of arrival.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>How the receiver answers a request; 200 unless a test says otherwise.</summary>
    public Func<ReceivedWebhook, Answer> Answer { get; set; } = _ => new Answer(200);

    public int Port { get; private set; }

    /// <summary>A new secret in the spec's form: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The receiver's URL for <paramref name="path"/>.</summary>
    public string Url(string path = "/hooks") => $"http://127.0.0.1:{Port}{path}";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.Port = new Uri(app.Urls.Single()).Port;
        return receiver;
    }

    /// <summary>The requests to <paramref name="path"/> once there are at least <paramref name="count"/> (fails after <paramref name="seconds"/>).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, string path = "/hooks", double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = To(path);
            if (received.Count >= count)
            {
                return received;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The receiver got {received.Count} of {count} webhooks at {path} within {seconds} s.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>What arrived at <paramref name="path"/> so far.</summary>
    public IReadOnlyList<ReceivedWebhook> To(string path = "/hooks") => [.. Received.Where(r => r.Path == path)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var received = new ReceivedWebhook(DateTime.UtcNow, context.Request.Method, context.Request.Path,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray());
        Received.Enqueue(received);
        var answer = Answer(received);
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = answer.Status;
        if (answer.Location is not null)
        {
            context.Response.Headers.Location = answer.Location;
        }

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }
}

/// <summary>How the receiver answers: a status after an optional delay, with a body.</summary>
public sealed record Answer(int Status, TimeSpan Delay = default, string Body = "ok", string? Location = null);

/// <summary>One request as it arrived.</summary>
public sealed record ReceivedWebhook(DateTime ArrivedAt, string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Id => Headers["webhook-id"];

    public long Timestamp => long.Parse(Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public JsonElement Data => Json.GetProperty("data");

    /// <summary>The <c>v1</c> signatures of <c>webhook-signature</c>, in order.</summary>
    public IReadOnlyList<string> Signatures => [.. Headers["webhook-signature"].Split(' ').Select(s => s.Split(',', 2)).Where(p => p[0] == "v1").Select(p => p[1])];

    /// <summary>
    /// The signature the Standard Webhooks spec gives for this request and <paramref name="secret"/>: base64 of
    /// HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>, keyed with the base64-decoded part of the secret after <c>whsec_</c>.
    /// </summary>
    public string ExpectedSignature(string secret)
    {
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{Id}.{Headers["webhook-timestamp"]}."), .. Body];
        return Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>Whether one of the request's signatures is the one <paramref name="secret"/> gives.</summary>
    public bool IsSignedWith(string secret)
    {
        var expected = Encoding.ASCII.GetBytes(ExpectedSignature(secret));
        return Signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}
