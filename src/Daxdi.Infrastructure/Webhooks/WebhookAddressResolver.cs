using System.Net;
using System.Net.Sockets;

namespace Daxdi.Infrastructure.Webhooks;

/// <summary>
/// The addresses a webhook URL's host stands for, looked up every time a connection is made (and when a subscription
/// is checked), so <see cref="WebhookAddressPolicy"/> judges the address actually connected to.
/// </summary>
public interface IWebhookAddressResolver
{
    /// <summary>The addresses of <paramref name="host"/>: a literal IP itself, a name through DNS; none when it does not resolve.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsWebhookAddressResolver : IWebhookAddressResolver
{
    /// <summary>A name that takes longer than this to resolve counts as not resolving, so no request hangs on DNS.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            return await Dns.GetHostAddressesAsync(host, limit.Token);
        }
        catch (SocketException)
        {
            return [];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }
}
