namespace Daxdi.Application.Abstractions;

/// <summary>
/// Encrypts responses kept for replay (idempotency keys): a response may carry a secret shown once, which must not lie
/// in the store in plaintext. Every node must share the key ring (Data Protection), as for receipt keys.
/// </summary>
public interface IResponseProtector
{
    string Protect(string plaintext);

    string Unprotect(string protectedText);
}
