using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Daxdi.Application.Features.Consent;

namespace Daxdi.Api.Hosting.Consent;

/// <summary>How a consent record keeps the visitor's address (<c>Consent:ClientAddress</c>).</summary>
public enum ClientAddressMode
{
    /// <summary>IPv4 to its /24, IPv6 to its /48: enough to tell a network, not a person.</summary>
    Truncate,

    /// <summary>HMAC-SHA256 under <c>Consent:ClientAddressHashKey</c>: equal addresses match, none can be read back.</summary>
    Hash,

    /// <summary>Not kept at all.</summary>
    None,
}

/// <summary>Configuration section <c>Consent</c>, as far as the request's own data goes.</summary>
public sealed class ConsentRequestOptions : IValidatableObject
{
    public const string Section = "Consent";

    public ClientAddressMode ClientAddress { get; set; } = ClientAddressMode.Truncate;

    /// <summary>The HMAC key of <see cref="ClientAddressMode.Hash"/>, at least 32 characters; a secret.</summary>
    public string? ClientAddressHashKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClientAddress == ClientAddressMode.Hash && (ClientAddressHashKey?.Length ?? 0) < 32)
        {
            yield return new ValidationResult("Consent:ClientAddressHashKey must be at least 32 characters when Consent:ClientAddress is Hash.",
                [nameof(ClientAddressHashKey)]);
        }
    }
}

/// <summary>
/// What a consent record keeps of the request: the address reduced as configured, the browser family (never the
/// user agent), and the Global Privacy Control signal. The raw address and user agent go no further than here.
/// </summary>
public sealed class ConsentClients(ConsentRequestOptions options)
{
    private readonly byte[]? _hashKey = options.ClientAddressHashKey is { } key ? Encoding.UTF8.GetBytes(key) : null;

    /// <summary>Families in the order they must be tested: Edge and Opera say "Chrome" too, Chrome says "Safari".</summary>
    private static readonly (string Token, string Family)[] Families =
    [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
    ];

    public ConsentRequestContext Of(HttpContext http) => new(
        Address(http.Connection.RemoteIpAddress),
        BrowserFamily(http.Request.Headers.UserAgent.ToString()),
        http.Request.Headers["Sec-GPC"].ToString().Trim() == "1");

    public string? Address(IPAddress? address)
    {
        if (address is null || options.ClientAddress == ClientAddressMode.None)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (options.ClientAddress == ClientAddressMode.Hash)
        {
            return "hmac:" + Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey!, address.GetAddressBytes()))[..32];
        }

        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        Array.Clear(bytes, keep, bytes.Length - keep);
        return $"{new IPAddress(bytes)}/{keep * 8}";
    }

    public static string? BrowserFamily(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        foreach (var (token, family) in Families)
        {
            if (userAgent.Contains(token, StringComparison.Ordinal))
            {
                return family;
            }
        }

        return "Other";
    }
}
