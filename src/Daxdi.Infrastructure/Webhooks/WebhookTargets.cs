using System.Net;
using System.Net.Sockets;
using Daxdi.Application.Abstractions;
using Microsoft.Extensions.Hosting;

namespace Daxdi.Infrastructure.Webhooks;

/// <summary>
/// The subscription-time SSRF guard: an absolute http(s) URL without credentials, https outside Development, whose
/// host resolves only to addresses <see cref="WebhookAddressPolicy"/> allows.
/// </summary>
public sealed class WebhookTargets(WebhookAddressPolicy policy, IHostEnvironment environment) : IWebhookTargets
{
    public async Task<WebhookTargetRefusal?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || url.UserInfo.Length > 0)
        {
            return new("webhook.url_invalid", "The URL must be an absolute http(s) URL without user name or password.");
        }

        if (url.Scheme != Uri.UriSchemeHttps && !environment.IsDevelopment())
        {
            return new("webhook.url_not_https", "Webhook URLs must use https.");
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            addresses = [];
        }

        if (addresses.Length == 0)
        {
            return new("webhook.url_unresolvable", $"The host '{url.Host}' does not resolve.");
        }

        return addresses.All(policy.IsAllowed)
            ? null
            : new("webhook.url_private_address",
                $"The host '{url.Host}' resolves to a private, loopback, link-local or reserved address, which webhooks may not reach.");
    }
}
