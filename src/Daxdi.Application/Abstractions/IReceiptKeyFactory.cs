using Daxdi.Domain.Consent;

namespace Daxdi.Application.Abstractions;

/// <summary>Makes receipt signing keys: a fresh key pair whose private half is encrypted before it leaves this call.</summary>
public interface IReceiptKeyFactory
{
    /// <summary>A new ES256 key named <paramref name="keyId"/>, ready to be added to the store.</summary>
    ReceiptSigningKey Create(string keyId, DateTime now);
}
