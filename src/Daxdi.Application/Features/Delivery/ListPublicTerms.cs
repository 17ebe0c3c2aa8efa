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

        var published = db.Published(site.Id);
        // Term ids are unique across kinds, so one condition counts sections, authors and tags alike.
        var rows = await terms.OrderBy(t => t.Slug).Take(query.Limit + 1).Select(t => new PublicTerm
        {
            Slug = t.Slug, Name = t.Name, Description = t.Description, AvatarUrl = t.AvatarUrl,
            ArticleCount = published.Count(a => a.SectionId == t.Id || a.Terms.Any(x => x.TermId == t.Id)),
        }).ToListAsync(cancellationToken);

        var items = rows.Take(query.Limit).ToList();
        var next = rows.Count > query.Limit ? Cursor.Encode(items[^1].Slug) : null;
        return new Page<PublicTerm>(items, next);
    }
}
