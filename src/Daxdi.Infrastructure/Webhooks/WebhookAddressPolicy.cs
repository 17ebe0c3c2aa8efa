using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Webhooks;

/// <summary>
/// Which IP addresses webhooks may be sent to: public unicast ones, and private ones only inside
/// <see cref="WebhookOptions.AllowedPrivateNetworks"/>. Refused: loopback, private (RFC 1918, unique local), CGNAT,
/// link-local (where cloud metadata lives, 169.254.169.254), documentation, benchmarking, multicast and reserved
/// ranges, in IPv4 and IPv6, and IPv4 addresses wrapped in IPv6 (mapped, NAT64, 6to4) by what they wrap.
/// </summary>
public sealed class WebhookAddressPolicy(IOptions<WebhookOptions> options)
{
    private static readonly IPNetwork[] Refused =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly IPNetwork[] _allowed = [.. options.Value.AllowedPrivateNetworks.Select(IPNetwork.Parse)];

    /// <summary>Whether a connection to <paramref name="address"/> may carry a webhook.</summary>
    public bool IsAllowed(IPAddress address)
    {
        var effective = Unwrap(address);
        if (_allowed.Any(n => n.Contains(effective)) || _allowed.Any(n => n.Contains(address)))
        {
            return true;
        }

        return !Refused.Any(n => n.Contains(effective)) && !Refused.Any(n => n.Contains(address));
    }

    /// <summary>The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), else the address itself.</summary>
    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes[12..16]);
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes[2..6]) : address;
    }
}
