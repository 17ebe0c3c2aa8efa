using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Daxdi.Application.Common;
using Daxdi.Application.Features.WebhookDispatch;
using Daxdi.Domain.Webhooks;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace Daxdi.Infrastructure.Webhooks;

/// <summary>
/// Sends one attempt as the Standard Webhooks spec has it: a POST of the stored body with <c>webhook-id</c>,
/// <c>webhook-timestamp</c> and <c>webhook-signature</c>, within <see cref="WebhookOptions.TimeoutSeconds"/>,
/// following no redirect. Every connection goes to an address it resolved and checked itself
/// (<see cref="WebhookAddressPolicy"/>), so a name that now points inside the network (DNS rebinding) is refused
/// before anything is sent. Never throws for what the receiver or the network did: that is the outcome.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const string UserAgent = "Daxdi-Webhooks/1";

    private readonly HttpClient _http;
    private readonly WebhookAddressPolicy _policy;
    private readonly IWebhookAddressResolver _resolver;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;

    public WebhookSender(WebhookAddressPolicy policy, IWebhookAddressResolver resolver, TimeProvider clock, IOptions<WebhookOptions> options)
    {
        _policy = policy;
        _resolver = resolver;
        _clock = clock;
        _timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // A proxy would make the connection, and its address would go unchecked.
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = _timeout,
            // Pooled connections were made to checked addresses; renewing them lets a changed DNS answer count.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, ct),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The <c>webhook-id</c> of every delivery of an event: <c>msg_</c> and the event id's 32 hex digits.</summary>
    public static string MessageId(Guid eventId) => $"msg_{eventId:N}";

    public async Task<AttemptOutcome> SendAsync(DeliveryRequest request, CancellationToken stoppingToken)
    {
        var sentAt = _clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        AttemptOutcome Outcome(int? statusCode, string? body, string? error) => new(request.DeliveryId, request.ClaimedUntil,
            Clock.Normalize(sentAt.UtcDateTime), (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds, statusCode, body, error);

        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.UserAgent.ParseAdd(UserAgent);
        var messageId = MessageId(request.EventId);
        message.Headers.Add("webhook-id", messageId);
        message.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        try
        {
            message.Headers.Add("webhook-signature", Signatures(request, messageId, sentAt));
        }
        catch (FormatException)
        {
            return Outcome(null, null, "The subscription's signing secret is not a whsec_ secret; nothing was sent.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var body = await ReadStartAsync(response, timeout.Token);
            return Outcome(status, body, status is >= 300 and < 400 ? "Redirects are not followed: a 3xx answer is a failure." : null);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return Outcome(null, null, $"No answer within {_timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return Outcome(null, null, Describe(e));
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One <c>v1,</c> signature per secret, space-separated: during a rotation's overlap, the new and the old.</summary>
    /// <remarks>
    /// The package signs text, which it encodes as UTF-8 again; the stored body is UTF-8 JSON, so the bytes it signs
    /// are exactly the bytes sent.
    /// </remarks>
    private static string Signatures(DeliveryRequest request, string messageId, DateTimeOffset sentAt)
    {
        var payload = Encoding.UTF8.GetString(request.Body);
        return string.Join(' ', request.Secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, sentAt, payload)));
    }

    /// <summary>The start of the answer, for the delivery log; the rest is not read.</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[WebhookAttempt.ResponseBodyMaxLength];
        var read = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status decides the outcome; a body cut short is still worth showing.
        }

        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    private async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = await _resolver.ResolveAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new WebhookTargetException($"The host '{endpoint.Host}' does not resolve.");
        }

        var allowed = addresses.Where(_policy.IsAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookTargetException(
                $"Refused to connect: the host '{endpoint.Host}' resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, "
                + "a private, loopback, link-local or reserved address that webhooks may not reach.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>What went wrong before an answer came, in words for the delivery log.</summary>
    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        WebhookTargetException refused => refused.Message,
        AuthenticationException tls => $"TLS failed: {tls.Message}",
        // The socket's own words with the host and port, e.g. "Connection refused (hooks.example:443)".
        _ => e.Message,
    };
}

/// <summary>A connection the dispatcher refused to make, or could not find an address for.</summary>
public sealed class WebhookTargetException(string message) : Exception(message);
