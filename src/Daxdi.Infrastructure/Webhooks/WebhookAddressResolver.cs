using System.Net;

namespace Daxdi.Infrastructure.Webhooks;

/// <summary>
/// The addresses a webhook URL's host stands for, looked up every time a connection is made (and when a subscription
/// is checked), so <see cref="WebhookAddressPolicy"/> judges the address actually connected to.
/// </summary>
public interface IWebhookAddressResolver
{
    /// <summary>The addresses of <paramref name="host"/>: a literal IP itself, a name through DNS.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsWebhookAddressResolver : IWebhookAddressResolver
{
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
}
