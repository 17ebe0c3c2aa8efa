using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>The authors, tags or sections of a site, ordered by slug.</summary>
public sealed record ListTerms(string Site, TermKind Kind, int Limit, string? Cursor) : IQuery<Page<TaxonomyTermDto>>;

public sealed class ListTermsValidator : AbstractValidator<ListTerms>
{
    public ListTermsValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1);
    }
}

public sealed class ListTermsHandler(IDaxdiDbContext db) : IQueryHandler<ListTerms, Page<TaxonomyTermDto>>
{
    public async ValueTask<Page<TaxonomyTermDto>> Handle(ListTerms query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var terms = db.TaxonomyTerms.AsNoTracking().Where(t => t.SiteId == site.Id && t.Kind == query.Kind);
        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var lastSlug = after[0];
            terms = terms.Where(t => string.Compare(t.Slug, lastSlug) > 0);
        }

        var rows = await terms.OrderBy(t => t.Slug).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(query.Limit).Select(TaxonomyTermDto.From).ToList();
        var next = rows.Count > query.Limit ? Cursor.Encode(items[^1].Slug) : null;
        return new Page<TaxonomyTermDto>(items, next);
    }
}
