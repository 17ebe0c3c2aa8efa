using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Sites;

/// <summary>Read one site by key.</summary>
public sealed record GetSite(string Key) : IQuery<SiteDto>;

public sealed class GetSiteHandler(IDaxdiDbContext db) : IQueryHandler<GetSite, SiteDto>
{
    public async ValueTask<SiteDto> Handle(GetSite query, CancellationToken cancellationToken) =>
        SiteDto.From(await db.Sites.AsNoTracking().GetByKeyAsync(query.Key, cancellationToken));
}
