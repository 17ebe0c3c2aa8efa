using System.Text.Json;
using Daxdi.Domain.Security;
using Microsoft.AspNetCore.Authorization;

namespace Daxdi.Api.Hosting.Auth;

/// <summary>Role names as they appear in claims, tokens and JSON (<c>admin</c>, <c>editor</c>, …).</summary>
public static class Roles
{
    public static string Name(ApiRole role) => JsonNamingPolicy.CamelCase.ConvertName(role.ToString());

    public static bool TryParse(string? value, out ApiRole role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && Name(role) == value;

    /// <summary>Allows the given roles, and always <c>admin</c>. Authors are admitted only with a scope: see <see cref="RequireEditorsAndAuthors{TBuilder}"/>.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params ApiRole[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        roles.Contains(ApiRole.Author)
            ? throw new InvalidOperationException("An endpoint admits authors only within their site: use RequireEditorsAndAuthors.")
            : builder.RequireAuthorization(new AuthorizeAttribute { Roles = RoleList(roles) });

    /// <summary>
    /// Allows editors (and admins), and authors within their scope: the site of the route, or the articles of it they
    /// are an author of (<see cref="AuthorScopeRequirement"/>).
    /// </summary>
    public static TBuilder RequireEditorsAndAuthors<TBuilder>(this TBuilder builder, AuthorScopeKind scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizeAttribute { Roles = RoleList([ApiRole.Editor, ApiRole.Author]) })
            .RequireAuthorization(policy => policy.AddRequirements(new AuthorScopeRequirement(scope)));

    /// <summary>
    /// Deny by default: every endpoint of the group needs an authenticated caller, and one that declares
    /// no roles of its own is reachable by <c>admin</c> only. A forgotten <see cref="RequireRoles{TBuilder}"/>
    /// therefore closes an endpoint rather than opening it.
    /// </summary>
    public static RouteGroupBuilder RequireAdminByDefault(this RouteGroupBuilder group)
    {
        group.RequireAuthorization();
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Roles)))
            {
                endpoint.Metadata.Add(new AuthorizeAttribute { Roles = RoleList([]) });
            }
        });
        return group;
    }

    /// <summary>The roles an endpoint admits, from its metadata (empty when it has no role requirement).</summary>
    public static IReadOnlySet<string> Allowed(EndpointMetadataCollection metadata) =>
        metadata.OfType<IAuthorizeData>()
            .Where(a => !string.IsNullOrEmpty(a.Roles))
            .SelectMany(a => a.Roles!.Split(','))
            .Select(r => r.Trim())
            .ToHashSet();

    private static string RoleList(IEnumerable<ApiRole> roles) =>
        string.Join(',', roles.Prepend(ApiRole.Admin).Distinct().Select(Name));
}
