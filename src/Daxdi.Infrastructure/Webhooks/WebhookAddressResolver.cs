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
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
