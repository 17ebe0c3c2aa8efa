using System.Security.Claims;
using System.Text.Encodings.Web;
using Daxdi.Application.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Daxdi.Api.Hosting.Auth;

/// <summary>Authenticates <c>Authorization: Bearer dx_…</c> API keys against their stored hashes.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    FailedAuthenticationLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = AuthSetup.BearerToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (failures.IsBlocked(Context))
        {
            return AuthenticateResult.Fail("Too many failed authentications from this client.");
        }

        var key = await authenticator.AuthenticateAsync(token, Context.RequestAborted);
        if (key is null)
        {
            failures.RecordFailure(Context);
            return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, $"key:{key.Id}"),
            new(ClaimTypes.Role, Roles.Name(key.Role)),
        ];
        if (key.Author is { } author)
        {
            claims.Add(new Claim(AuthSetup.SiteClaim, author.Site));
            claims.Add(new Claim(AuthSetup.AuthorClaim, author.AuthorSlug));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceAsync();
        await AuthSetup.WriteChallengeAsync(Context, invalidToken: result.Failure is not null);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthSetup.WriteForbiddenAsync(Context);
}
