using Daxdi.Domain.Common;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Taxonomy;

internal static class TermQueries
{
    /// <summary>The kind's name in codes and messages: <c>author</c>, <c>tag</c>, <c>section</c>.</summary>
    public static string Code(this TermKind kind) => kind.ToString().ToLowerInvariant();

    public static async Task<TaxonomyTerm> GetBySlugAsync(this IQueryable<TaxonomyTerm> terms, Guid siteId, TermKind kind, string slug,
        CancellationToken cancellationToken) =>
        await terms.FirstOrDefaultAsync(t => t.SiteId == siteId && t.Kind == kind && t.Slug == slug, cancellationToken)
        ?? throw DomainException.NotFound($"{kind.Code()}.not_found", $"No {kind.Code()} with slug '{slug}' in this site.");

    public static DomainException SlugTaken(TermKind kind, string slug) =>
        DomainException.Conflict($"{kind.Code()}.slug_taken", $"Another {kind.Code()} of this site has the slug '{slug}'.");
}
