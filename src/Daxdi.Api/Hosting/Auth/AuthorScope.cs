using Daxdi.Application.Abstractions;
using Daxdi.Application.Security;
using Daxdi.Domain.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Daxdi.Api.Hosting.Auth;

/// <summary>What the route of an endpoint that admits authors names: a site (<c>{site}</c>) or an article (<c>{id}</c>).</summary>
public enum AuthorScopeKind
{
    Site,
    Article,
}

/// <summary>
/// An author credential belongs to one author profile in one site: on an endpoint that admits authors, it reaches
/// that site's resources and the articles it is an author of, nothing else. Checked with the role, before the request
/// is bound or validated, so a credential's reach never depends on what else the request says.
/// </summary>
public sealed record AuthorScopeRequirement(AuthorScopeKind Kind) : IAuthorizationRequirement;

public sealed class AuthorScopeHandler(AuthorReach reach) : AuthorizationHandler<AuthorScopeRequirement, HttpContext>
{
    public const string OtherSite = "auth.other_site";
    public const string NotOwnArticle = "article.not_own";
    public const string Unbound = "auth.author_unbound";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AuthorScopeRequirement requirement, HttpContext http)
    {
        if (!context.User.IsInRole(Roles.Name(ApiRole.Author)))
        {
            context.Succeed(requirement);
            return;
        }

        var refusal = await RefusalAsync(requirement.Kind, HttpCurrentUser.AuthorOf(context.User), http);
        if (refusal is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, refusal));
        }
    }

    private async Task<string?> RefusalAsync(AuthorScopeKind kind, AuthorScope? scope, HttpContext http)
    {
        if (scope is null)
        {
            return Unbound;
        }

        if (kind == AuthorScopeKind.Site)
        {
            return http.GetRouteValue("site") as string == scope.Site ? null : OtherSite;
        }

        if (!Guid.TryParse(http.GetRouteValue("id") as string, out var id))
        {
            return null;
        }

        var article = await reach.OfArticleAsync(id, scope.AuthorSlug, http.RequestAborted);
        // An article that does not exist is the handler's 404, as for any caller.
        return article is null ? null : article.SiteKey != scope.Site ? OtherSite : article.ByAuthor ? null : NotOwnArticle;
    }
}

/// <summary>Answers a refusal of <see cref="AuthorScopeHandler"/> with its own code; every other result as usual.</summary>
public sealed class AuthorScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault(r => r.Handler is AuthorScopeHandler)?.Message;
        return authorizeResult.Forbidden && reason is not null
            ? Problems.WriteAsync(context, StatusCodes.Status403Forbidden, reason, "Forbidden", reason switch
            {
                AuthorScopeHandler.Unbound =>
                    "This author key is not bound to an author profile of a site (or the profile or site was deleted); ask an admin for a new key.",
                AuthorScopeHandler.OtherSite => "This author credential belongs to another site.",
                _ => "Authors may read and change only the articles they are an author of.",
            })
            : _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
