using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace Daxdi.Api.Hosting.Auth;

/// <summary>
/// Limits failed authentications per client address (<c>RateLimits:FailedAuthentication</c>): a request with no
/// credential for an admin route, or with a key or token that does not authenticate, spends one permit. Once a
/// client has spent them all, its credentials are not even looked up until the window ends: every admin request
/// from it answers 429, so guessing keys costs neither a store lookup nor a hash. IPv6 clients are counted per /64,
/// the block one subscriber controls.
/// </summary>
public sealed class FailedAuthenticationLimiter(RateLimitRule rule) : IDisposable
{
    private const string BlockedItem = "daxdi:authentication-blocked";

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = rule.PermitLimit,
            Window = TimeSpan.FromSeconds(rule.WindowSeconds),
            QueueLimit = 0,
        }));

    /// <summary>
    /// Whether the client has no failed attempts left; the answer is kept for the rest of the request, so the attempt
    /// that spends the last permit still gets its 401.
    /// </summary>
    public bool IsBlocked(HttpContext http)
    {
        if (http.Items.TryGetValue(BlockedItem, out var known))
        {
            return (bool)known!;
        }

        using var lease = _failures.AttemptAcquire(Client(http), permitCount: 0);
        http.Items[BlockedItem] = !lease.IsAcquired;
        return !lease.IsAcquired;
    }

    public void RecordFailure(HttpContext http)
    {
        IsBlocked(http);
        _failures.AttemptAcquire(Client(http)).Dispose();
    }

    /// <summary>Whole seconds to wait; at most the window, since a fixed window does not say when it renews.</summary>
    public int RetryAfterSeconds => rule.WindowSeconds;

    public void Dispose() => _failures.Dispose();

    private static string Client(HttpContext http) => http.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6, IsIPv4MappedToIPv6: false } address => Slash64(address),
        var address => address.MapToIPv4().ToString(),
    };

    private static string Slash64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
