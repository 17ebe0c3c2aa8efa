namespace Daxdi.Application.Abstractions;

/// <summary>
/// Signs consent receipts as a compact JWS (RFC 7515) with the active receipt key, and publishes every receipt key's
/// public half, so a visitor or an auditor can verify a receipt offline. Thread-safe; a singleton.
/// </summary>
/// <remarks>
/// The JWS header is <c>{"alg":"ES256","kid":"…","typ":"daxdi-consent-receipt+jwt"}</c>; the payload is the receipt's
/// UTF-8 JSON byte for byte as given (base64url-encoded, never re-serialized), so what the visitor keeps is exactly
/// what was signed. The signature is ECDSA P-256 with SHA-256 in the JWS form: r and s as 32 bytes each (RFC 7518 §3.4).
/// The first signature of a new store creates the first key, in a scope and commit of its own.
/// </remarks>
public interface IConsentReceiptSigner
{
    /// <summary>
    /// Loads the active key when none is held yet (creating a new store's first key). Called before a write whose answer
    /// is signed, so a store or key-ring failure refuses the request before anything is stored; once a key is held,
    /// <see cref="SignAsync"/> signs with it even when a refresh from the store fails.
    /// </summary>
    ValueTask EnsureReadyAsync(CancellationToken cancellationToken);

    /// <summary>The compact JWS <c>header.payload.signature</c> over <paramref name="payloadJson"/> (UTF-8 JSON).</summary>
    /// <exception cref="ArgumentException">The payload is empty or not one well-formed JSON value.</exception>
    ValueTask<string> SignAsync(ReadOnlyMemory<byte> payloadJson, CancellationToken cancellationToken);

    /// <summary>The public keys of every receipt key, active and retired, newest first: the JWKS (RFC 7517 §5).</summary>
    ValueTask<ReceiptKeySet> PublicKeysAsync(CancellationToken cancellationToken);
}

/// <summary>A JSON Web Key Set of the receipt keys (RFC 7517 §5): <c>{"keys":[…]}</c>.</summary>
/// <param name="Keys">Every receipt key, the one that signs now first; retired keys stay so older receipts verify.</param>
public sealed record ReceiptKeySet(IReadOnlyList<ReceiptPublicKey> Keys);

/// <summary>The public half of a receipt key as a JSON Web Key (RFC 7517, RFC 7518 §6.2): an EC P-256 key.</summary>
public sealed record ReceiptPublicKey
{
    /// <summary>Key type.</summary>
    /// <example>EC</example>
    public required string Kty { get; init; }

    /// <summary>Curve.</summary>
    /// <example>P-256</example>
    public required string Crv { get; init; }

    /// <summary>The x coordinate, base64url (32 bytes).</summary>
    /// <example>f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU</example>
    public required string X { get; init; }

    /// <summary>The y coordinate, base64url (32 bytes).</summary>
    /// <example>x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0</example>
    public required string Y { get; init; }

    /// <summary>The key id a receipt's JWS header names.</summary>
    /// <example>receipt-2</example>
    public required string Kid { get; init; }

    /// <summary>The JWS algorithm.</summary>
    /// <example>ES256</example>
    public required string Alg { get; init; }

    /// <summary>Public key use: signatures.</summary>
    /// <example>sig</example>
    public required string Use { get; init; }
}
