using System.Security.Claims;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;

namespace Daxdi.Api.Hosting.Auth;

/// <summary>Configuration section <c>Auth:Jwt</c>: optional OIDC bearer tokens beside API keys.</summary>
public sealed class JwtOptions
{
    public const string Section = "Auth:Jwt";

    /// <summary>OIDC authority (issuer); JWT bearer is on when this is set.</summary>
    public string? Authority { get; set; }

    /// <summary>Expected <c>aud</c> of tokens.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim whose value is the Daxdi role (<c>admin</c>, <c>editor</c>, …).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim naming the author profile for <c>author</c> tokens.</summary>
    public string AuthorClaim { get; set; } = AuthSetup.AuthorClaim;

    /// <summary>The claim naming the site (its key) of <c>author</c> tokens; an author acts in that site only.</summary>
    public string SiteClaim { get; set; } = AuthSetup.SiteClaim;
}

public static class AuthSetup
{
    public const string PolicyScheme = "Daxdi";
    public const string AuthorClaim = "daxdi_author";
    public const string SiteClaim = "daxdi_site";

    public static IServiceCollection AddDaxdiAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var jwt = configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        var jwtEnabled = !string.IsNullOrWhiteSpace(jwt.Authority);

        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<AuthorReach>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();

        var auth = services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key or JWT bearer", o => o.ForwardDefaultSelector = http =>
                jwtEnabled && BearerToken(http.Request) is { } token && !token.StartsWith(ApiKeySecret.Marker, StringComparison.Ordinal)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        if (jwtEnabled)
        {
            auth.AddJwtBearer(o =>
            {
                o.Authority = jwt.Authority;
                o.Audience = jwt.Audience;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.RoleClaimType = jwt.RoleClaim;
                o.TokenValidationParameters.NameClaimType = "sub";
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.HttpContext.RequestServices.GetRequiredService<FailedAuthenticationLimiter>().IsBlocked(context.HttpContext))
                        {
                            context.Fail("Too many failed authentications from this client.");
                        }

                        return Task.CompletedTask;
                    },
                    OnAuthenticationFailed = context =>
                    {
                        context.HttpContext.RequestServices.GetRequiredService<FailedAuthenticationLimiter>().RecordFailure(context.HttpContext);
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = context =>
                    {
                        // Tokens carry our role names; anything else maps to no role (and so no access).
                        var identity = (ClaimsIdentity)context.Principal!.Identity!;
                        foreach (var claim in identity.FindAll(jwt.RoleClaim).Where(c => !Roles.TryParse(c.Value, out _)).ToList())
                        {
                            identity.RemoveClaim(claim);
                        }

                        foreach (var (configured, ours) in new[] { (jwt.AuthorClaim, AuthorClaim), (jwt.SiteClaim, SiteClaim) })
                        {
                            if (configured != ours && identity.FindFirst(configured) is { } claim)
                            {
                                identity.AddClaim(new Claim(ours, claim.Value));
                            }
                        }

                        return Task.CompletedTask;
                    },
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        await WriteChallengeAsync(context.HttpContext, invalidToken: context.AuthenticateFailure is not null);
                    },
                    OnForbidden = context => WriteForbiddenAsync(context.HttpContext),
                };
            });
        }

        services.AddAuthorization();
        services.AddScoped<IAuthorizationHandler, AuthorScopeHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorScopeResultHandler>();
        return services;
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }

    /// <summary>401 with <c>WWW-Authenticate</c>, or 429 once the client has no failed attempts left.</summary>
    public static Task WriteChallengeAsync(HttpContext http, bool invalidToken)
    {
        var failures = http.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
        if (failures.IsBlocked(http))
        {
            return RateLimiting.WriteTooManyRequestsAsync(http, failures.RetryAfterSeconds, "Too many failed authentications from this client");
        }

        if (!invalidToken)
        {
            // No credential at all: a failed attempt too (a bad one was counted where it was checked).
            failures.RecordFailure(http);
        }

        http.Response.Headers[HeaderNames.WWWAuthenticate] = invalidToken
            ? "Bearer realm=\"daxdi\", error=\"invalid_token\""
            : "Bearer realm=\"daxdi\"";
        return Problems.WriteAsync(http, StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Unauthorized",
            invalidToken
                ? "The bearer credential is not valid, has expired or has been revoked."
                : "This endpoint needs an API key or token: send 'Authorization: Bearer <key>'.");
    }

    public static Task WriteForbiddenAsync(HttpContext http) =>
        Problems.WriteAsync(http, StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden",
            "Your credential is valid but its role may not use this endpoint.");
}
