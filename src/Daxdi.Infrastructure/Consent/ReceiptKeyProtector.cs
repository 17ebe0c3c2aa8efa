using System.Buffers.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Daxdi.Infrastructure.Consent;

/// <summary>
/// Encrypts receipt keys' private halves for the store with ASP.NET Core Data Protection (authenticated encryption,
/// AES-256-CBC + HMACSHA256 under a key of the ring, by default), under a purpose of their own: a database dump without the
/// key ring folder holds no usable private key.
/// </summary>
internal sealed class ReceiptKeyProtector(IDataProtectionProvider provider)
{
    /// <summary>The Data Protection purpose; a new version would be a new purpose (and a rotation).</summary>
    public const string Purpose = "Daxdi.ConsentReceiptKeys.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(byte[] privateKey) => Base64Url.EncodeToString(_protector.Protect(privateKey));

    /// <summary>The private key; the caller zeroes it once imported.</summary>
    public byte[] Unprotect(string protectedKey) => _protector.Unprotect(Base64Url.DecodeFromChars(protectedKey));
}
