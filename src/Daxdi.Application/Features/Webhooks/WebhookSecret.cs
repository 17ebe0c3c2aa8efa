using System.Security.Cryptography;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Signing secrets in the Standard Webhooks format: <c>whsec_</c> followed by the base64 of 32 random bytes. Receivers
/// decode the part after the prefix and use the bytes as the HMAC-SHA256 key.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>256 bits, the size of an HMAC-SHA256 key.</summary>
    public const int KeyBytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));
}
