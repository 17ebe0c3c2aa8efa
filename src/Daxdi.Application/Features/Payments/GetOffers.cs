using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>Read what a site sells (finance, and the public offers route for frontends).</summary>
public sealed record GetOffers(string Site) : IQuery<OffersDto>;

public sealed class GetOffersHandler(IDaxdiDbContext db) : IQueryHandler<GetOffers, OffersDto>
{
    public async ValueTask<OffersDto> Handle(GetOffers query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var offers = await db.SiteOffers.AsNoTracking().FirstOrDefaultAsync(o => o.SiteId == site.Id, cancellationToken)
            ?? throw PaymentErrors.NoOffers(query.Site);
        return OffersDto.From(offers);
    }
}
