using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>Read one version of a site's cookie banner, draft or published.</summary>
public sealed record GetConsentPolicy(string Site, int Number) : IQuery<ConsentPolicyDto>;

public sealed class GetConsentPolicyHandler(IDaxdiDbContext db) : IQueryHandler<GetConsentPolicy, ConsentPolicyDto>
{
    public async ValueTask<ConsentPolicyDto> Handle(GetConsentPolicy query, CancellationToken cancellationToken) =>
        ConsentPolicyDto.From(await db.ConsentPolicies.AsNoTracking().GetInSiteAsync(db.Sites, query.Site, query.Number, cancellationToken));
}
