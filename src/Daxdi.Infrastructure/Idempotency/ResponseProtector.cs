using Daxdi.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;

namespace Daxdi.Infrastructure.Idempotency;

/// <summary>
/// Encrypts the responses kept for idempotent replay with ASP.NET Core Data Protection, under a purpose of their own:
/// a database dump without the key ring holds no client secret.
/// </summary>
internal sealed class ResponseProtector(IDataProtectionProvider provider) : IResponseProtector
{
    public const string Purpose = "Daxdi.IdempotentResponses.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
