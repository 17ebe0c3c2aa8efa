using Daxdi.Application.Abstractions;
using Daxdi.Domain.Common;
using Daxdi.Domain.Security;
using Daxdi.Domain.Taxonomy;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// An author credential belongs to one author profile in one site: it may send requests about that site
/// (<see cref="ISiteRequest"/>) and about the articles it is an author of (<see cref="IArticleRequest"/>), and public
/// ones. Everything else is 403, so a request type added later is closed to authors until it says otherwise. Route
/// metadata decides which roles reach an endpoint; this decides which resources an author reaches through it.
/// </summary>
public sealed class AuthorScopeBehavior<TMessage, TResponse>(ICurrentUser user, IDaxdiDbContext db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (user.Role == ApiRole.Author && message is not IPublicRequest)
        {
            var scope = user.Author ?? throw DomainException.Forbidden("auth.author_unbound",
                "This author key is not bound to an author profile of a site (or the profile or site was deleted); ask an admin for a new key.");
            switch (message)
            {
                case ISiteRequest request when request.Site == scope.Site:
                    break;
                case ISiteRequest:
                    throw OtherSite(scope);
                case IArticleRequest request:
                    await EnsureOwnArticleAsync(request.Id, scope, cancellationToken);
                    break;
                default:
                    throw DomainException.Forbidden("auth.forbidden", "Author keys may not use this operation.");
            }
        }

        return await next(message, cancellationToken);
    }

    /// <summary>An article that does not exist is left to the handler (404); another site's or author's is 403.</summary>
    private async Task EnsureOwnArticleAsync(Guid id, AuthorScope scope, CancellationToken cancellationToken)
    {
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new
            {
                Site = db.Sites.Where(s => s.Id == a.SiteId).Select(s => s.Key).FirstOrDefault(),
                Mine = a.Terms.Any(t => t.Kind == TermKind.Author && db.TaxonomyTerms.Any(p => p.Id == t.TermId && p.Slug == scope.AuthorSlug)),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return;
        }

        if (article.Site != scope.Site)
        {
            throw OtherSite(scope);
        }

        if (!article.Mine)
        {
            throw DomainException.Forbidden("article.not_own", "Authors may read and change only the articles they are an author of.");
        }
    }

    private static DomainException OtherSite(AuthorScope scope) =>
        DomainException.Forbidden("auth.other_site", $"This author key belongs to site '{scope.Site}' and may not act in another.");
}
