using System.Security.Cryptography;
using System.Text;

namespace Daxdi.Domain.Payments;

/// <summary>
/// The secret a visitor's page polls its intent with. It is shown once, at creation; the intent keeps only its SHA-256
/// (<see cref="PaymentIntent.ClientSecretHash"/>): 256 random bits need no slow hash, nobody can guess them offline.
/// </summary>
public static class PaymentClientSecret
{
    public const string Prefix = "pis_";

    /// <summary>256 bits of randomness.</summary>
    public const int RandomBytes = 32;

    /// <summary>A new secret from the system's cryptographic random generator.</summary>
    public static string Generate() => FromBytes(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>The secret for these random bytes (base64url, no padding), e.g. for a deterministic test.</summary>
    public static string FromBytes(ReadOnlySpan<byte> random)
    {
        if (random.Length != RandomBytes)
        {
            throw new ArgumentException($"A client secret takes exactly {RandomBytes} random bytes.", nameof(random));
        }

        return Prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>What the intent stores: SHA-256 of the secret's UTF-8 bytes.</summary>
    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Whether <paramref name="secret"/> is the one <paramref name="hash"/> was made from, in constant time.</summary>
    public static bool Matches(string? secret, byte[] hash) =>
        secret is not null && CryptographicOperations.FixedTimeEquals(Hash(secret), hash);
}
