using Daxdi.Domain.Common;

namespace Daxdi.Domain.Consent;

/// <summary>
/// A key that signs consent receipts (a compact JWS). The newest active key signs; retired keys stay published in
/// the JWKS, so every receipt signed before a rotation still verifies offline.
/// </summary>
public sealed class ReceiptSigningKey : Entity
{
    private ReceiptSigningKey()
    {
    }

    public ReceiptSigningKey(string keyId, string algorithm, string publicJwk, string protectedPrivateKey, DateTime now)
        : base(now)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        PublicJwk = publicJwk;
        ProtectedPrivateKey = protectedPrivateKey;
    }

    /// <summary>The JWS <c>kid</c>.</summary>
    public string KeyId { get; private set; } = null!;

    /// <summary>The JWS <c>alg</c>, e.g. <c>ES256</c>.</summary>
    public string Algorithm { get; private set; } = null!;

    /// <summary>The public key as a JSON Web Key (RFC 7517), as the JWKS serves it.</summary>
    public string PublicJwk { get; private set; } = null!;

    /// <summary>The private key, encrypted at rest; never served, never logged.</summary>
    public string ProtectedPrivateKey { get; private set; } = null!;

    /// <summary>When a newer key took over signing; the key keeps verifying.</summary>
    public DateTime? RetiredAt { get; private set; }

    public bool IsActive => RetiredAt is null;

    public void Retire(DateTime now)
    {
        if (RetiredAt is null)
        {
            RetiredAt = now;
            Touch(now);
        }
    }
}
