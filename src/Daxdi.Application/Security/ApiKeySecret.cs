using System.Security.Cryptography;

namespace Daxdi.Application.Security;

/// <summary>
/// API key format: <c>dx_</c> followed by 43 base62 characters (256 bits of randomness).
/// The <c>dx_</c> prefix makes a leaked key recognisable to secret scanners; the first
/// <see cref="PrefixLength"/> characters are stored in clear to find the row, the whole key only as a SHA-256 hash.
/// A fast hash is right here: the key is random and long, so there is nothing to brute-force.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "dx_";
    public const int PrefixLength = 12;
    public const int MinLength = 32;
    public const int MaxLength = 128;
    private const int RandomLength = 43;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly System.Buffers.SearchValues<char> AlphabetChars = System.Buffers.SearchValues.Create(Alphabet);

    public static string Generate() => Marker + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    /// <summary>Whether a string has the shape of a Daxdi API key (not whether it is valid).</summary>
    public static bool LooksLikeKey(string? value) =>
        value is { Length: >= MinLength and <= MaxLength } && value.StartsWith(Marker, StringComparison.Ordinal)
        && value.AsSpan(Marker.Length).ContainsAnyExcept(AlphabetChars) is false;

    public static string PrefixOf(string key) => key[..PrefixLength];

    public static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time comparison of a presented key with a stored hash.</summary>
    public static bool Matches(string presentedKey, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presentedKey), storedHash);
}
