using System.Security.Claims;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Security;

namespace Daxdi.Api.Hosting.Auth;

/// <summary>The caller of the current HTTP request, from the authenticated principal.</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User is { Identity.IsAuthenticated: true } user ? user : null;

    /// <summary>Who acts in work that runs outside any request: start-up seeding.</summary>
    public const string SystemActor = "system";

    public string? Actor => Principal switch
    {
        null when accessor.HttpContext is null => SystemActor,
        null => null,
        var p when p.FindFirstValue(ClaimTypes.NameIdentifier) is { } key => key,
        var p => p.Identity?.Name is { } sub ? $"sub:{sub}" : null,
    };

    public ApiRole? Role => Principal?.Identities
        .SelectMany(i => i.FindAll(i.RoleClaimType))
        .Select(c => Roles.TryParse(c.Value, out var role) ? role : (ApiRole?)null)
        .FirstOrDefault(r => r is not null);

    public AuthorScope? Author => Principal is { } principal ? AuthorOf(principal) : null;

    /// <summary>The site and author profile an author credential's claims name, or <c>null</c>.</summary>
    public static AuthorScope? AuthorOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(AuthSetup.SiteClaim) is { } site && principal.FindFirstValue(AuthSetup.AuthorClaim) is { } author
            ? new AuthorScope(site, author)
            : null;
}
