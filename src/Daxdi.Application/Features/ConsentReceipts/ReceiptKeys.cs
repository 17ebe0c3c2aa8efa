using System.Globalization;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Consent;

namespace Daxdi.Application.Features.ConsentReceipts;

/// <summary>What the receipt-key commands and the signer share: key ids and the JWKS of the stored keys.</summary>
public static class ReceiptKeys
{
    public const string Algorithm = "ES256";

    /// <summary>
    /// The id of the store's <paramref name="number"/>th key (keys are never deleted, so it is one more than the count).
    /// A number rather than a random id on purpose: two nodes that create a key at once pick the same id, and the unique
    /// index on <c>KeyId</c> lets only one of them commit, so the store never holds two active keys.
    /// </summary>
    public static string KeyId(int number) => "receipt-" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The JWKS of <paramref name="publicJwks"/> (stored <c>PublicJwk</c> values), in the order given.</summary>
    public static ReceiptKeySet Set(IEnumerable<string> publicJwks) =>
        new([.. publicJwks.Select(jwk => JsonSerializer.Deserialize<ReceiptPublicKey>(jwk, JsonSerializerOptions.Web)!)]);

    /// <summary>Newest first: the key that signs now leads the set.</summary>
    public static IQueryable<ReceiptSigningKey> NewestFirst(this IQueryable<ReceiptSigningKey> keys) =>
        keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.KeyId.Length).ThenByDescending(k => k.KeyId);
}
