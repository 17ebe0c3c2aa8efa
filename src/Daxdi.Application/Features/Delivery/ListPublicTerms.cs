using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Delivery;

/// <summary>A site's authors, tags or sections with their published-article counts, ordered by slug.</summary>
public sealed record ListPublicTerms(string Site, TermKind Kind, int Limit, string? Cursor) : IQuery<Page<PublicTerm>>;

public sealed class ListPublicTermsValidator : AbstractValidator<ListPublicTerms>
{
    public ListPublicTermsValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1);
    }
}

public sealed class ListPublicTermsHandler(IDaxdiDbContext db, ISiteDirectory sites) : IQueryHandler<ListPublicTerms, Page<PublicTerm>>
{
    public async ValueTask<Page<PublicTerm>> Handle(ListPublicTerms query, CancellationToken cancellationToken)
    {
        var site = await sites.GetSiteAsync(query.Site, cancellationToken);
        var terms = db.TaxonomyTerms.AsNoTracking().Where(t => t.SiteId == site.Id && t.Kind == query.Kind);
        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var lastSlug = after[0];
            terms = terms.Where(t => string.Compare(t.Slug, lastSlug) > 0);
        }

        var rows = await terms.OrderBy(t => t.Slug).Take(query.Limit + 1)
            .Select(t => new { t.Id, t.Slug, t.Name, t.Description, t.AvatarUrl })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(t => t.Id).ToList();
        var published = db.Published(site.Id);
        var counts = query.Kind == TermKind.Section
            ? await published.Where(a => a.SectionId != null && ids.Contains(a.SectionId.Value))
                .GroupBy(a => a.SectionId!.Value).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken)
            : await db.ArticleTerms.Where(t => ids.Contains(t.TermId))
                .Join(published, t => t.ArticleId, a => a.Id, (t, _) => t.TermId)
                .GroupBy(id => id).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        var page = rows.Select(t => new PublicTerm
        {
            Slug = t.Slug, Name = t.Name, Description = t.Description, AvatarUrl = t.AvatarUrl,
            ArticleCount = counts.GetValueOrDefault(t.Id),
        }).ToList();

        var items = page.Take(query.Limit).ToList();
        var next = page.Count > query.Limit ? Cursor.Encode(items[^1].Slug) : null;
        return new Page<PublicTerm>(items, next);
    }
}
