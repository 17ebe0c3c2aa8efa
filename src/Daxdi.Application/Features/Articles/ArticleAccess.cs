using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Daxdi.Domain.Security;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>
/// Who may do what with articles. Editors and admins do everything; an author (a key bound to an author
/// profile) writes drafts, edits only drafts they are an author of, and takes no workflow action.
/// </summary>
internal static class ArticleAccess
{
    public static string Actor(this ICurrentUser user) => user.Actor ?? "unknown";

    public static bool IsAuthor(this ICurrentUser user) => user.Role == ApiRole.Author;

    /// <summary>Refuses authors; <paramref name="action"/> completes "Authors cannot …".</summary>
    public static void EnsureEditor(this ICurrentUser user, string action)
    {
        if (user.IsAuthor())
        {
            throw DomainException.Forbidden("article.editor_required", $"Authors cannot {action}; ask an editor.");
        }
    }

    /// <summary>The author profile of an author key in the article's site.</summary>
    public static async Task<Guid> AuthorProfileIdAsync(this ICurrentUser user, IDaxdiDbContext db, Guid siteId, CancellationToken cancellationToken)
    {
        var slug = user.Author?.AuthorSlug;
        var id = slug is null
            ? (Guid?)null
            : await db.TaxonomyTerms.Where(t => t.SiteId == siteId && t.Kind == TermKind.Author && t.Slug == slug)
                .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
        return id ?? throw DomainException.Forbidden("article.author_profile_missing",
            "This key has the author role but is not bound to an author profile of this site (authorSlug).");
    }

    /// <summary>Authors may change only drafts that they are an author of, and must stay one of the authors.</summary>
    public static async Task EnsureCanEditAsync(this ICurrentUser user, IDaxdiDbContext db, Article article,
        IReadOnlyList<Guid>? newAuthorIds, CancellationToken cancellationToken)
    {
        if (!user.IsAuthor())
        {
            return;
        }

        var me = await user.AuthorProfileIdAsync(db, article.SiteId, cancellationToken);
        if (!article.IsEditableDraftOf(me))
        {
            throw DomainException.Forbidden("article.not_own_draft", "Authors can edit only drafts they are an author of.");
        }

        if (newAuthorIds is not null && !newAuthorIds.Contains(me))
        {
            throw DomainException.Forbidden("article.author_must_stay", "Authors cannot remove themselves from an article's authors.");
        }
    }
}
