using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.ConsentReceipts;
using Daxdi.Domain.Consent;

namespace Daxdi.Infrastructure.Consent;

/// <summary>
/// New ES256 keys: ECDSA over P-256 from the platform's cryptography (OpenSSL, CNG), the public half as a JWK, the
/// private half as PKCS#8 encrypted by <see cref="ReceiptKeyProtector"/>. One per scope, so the commit that stores a new
/// key can tell the signer (<see cref="ReceiptKeyCacheParticipant"/>).
/// </summary>
internal sealed class ReceiptKeyFactory(ReceiptKeyProtector protector) : IReceiptKeyFactory
{
    /// <summary>A key was made in this scope and not yet committed or discarded.</summary>
    public bool Created { get; set; }

    public ReceiptSigningKey Create(string keyId, DateTime now)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var jwk = new ReceiptPublicKey
        {
            Kty = "EC", Crv = "P-256", X = Base64Url.EncodeToString(parameters.Q.X), Y = Base64Url.EncodeToString(parameters.Q.Y),
            Kid = keyId, Alg = ReceiptKeys.Algorithm, Use = "sig",
        };
        var pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        try
        {
            var key = new ReceiptSigningKey(keyId, ReceiptKeys.Algorithm, JsonSerializer.Serialize(jwk, JsonSerializerOptions.Web),
                protector.Protect(pkcs8), now);
            Created = true;
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
