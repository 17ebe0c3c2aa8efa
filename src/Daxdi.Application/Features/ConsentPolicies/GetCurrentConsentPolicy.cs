using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>The site's current cookie banner, for visitors: its published version with the highest number.</summary>
public sealed record GetCurrentConsentPolicy(string Site) : IQuery<PublicConsentPolicy>;

public sealed class GetCurrentConsentPolicyHandler(IDaxdiDbContext db, ISiteDirectory sites) : IQueryHandler<GetCurrentConsentPolicy, PublicConsentPolicy>
{
    public async ValueTask<PublicConsentPolicy> Handle(GetCurrentConsentPolicy query, CancellationToken cancellationToken)
    {
        var site = await sites.GetSiteAsync(query.Site, cancellationToken);
        var current = await db.ConsentPolicies.AsNoTracking().CurrentAsync(site.Id, cancellationToken)
            ?? throw DomainException.NotFound("consent_policy.none", $"Site '{query.Site}' has not published a consent policy yet.");
        return PublicConsentPolicy.From(current);
    }
}
