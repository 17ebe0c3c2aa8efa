using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Taxonomy;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>Read one author, tag or section by slug.</summary>
public sealed record GetTerm(string Site, TermKind Kind, string Slug) : IQuery<TaxonomyTermDto>;

public sealed class GetTermHandler(IDaxdiDbContext db) : IQueryHandler<GetTerm, TaxonomyTermDto>
{
    public async ValueTask<TaxonomyTermDto> Handle(GetTerm query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        return TaxonomyTermDto.From(await db.TaxonomyTerms.AsNoTracking().GetBySlugAsync(site.Id, query.Kind, query.Slug, cancellationToken));
    }
}
