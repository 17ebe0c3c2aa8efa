using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Common;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>Finding a site's policy versions.</summary>
public static class ConsentPolicyQueries
{
    /// <summary>
    /// The version with this number in the site with this key (404 <c>site.not_found</c> without the site,
    /// <c>consent_policy.not_found</c> without the version).
    /// </summary>
    internal static async Task<ConsentPolicy> GetInSiteAsync(this IQueryable<ConsentPolicy> policies, IQueryable<Site> sites,
        string site, int number, CancellationToken cancellationToken)
    {
        var siteId = (await sites.AsNoTracking().GetByKeyAsync(site, cancellationToken)).Id;
        return await policies.FirstOrDefaultAsync(p => p.SiteId == siteId && p.Number == number, cancellationToken)
            ?? throw DomainException.NotFound("consent_policy.not_found", $"Site '{site}' has no consent policy version {number}.");
    }

    /// <summary>
    /// The site's current policy: its published version with the highest number, or <c>null</c>. Versions are published
    /// in number order (<see cref="PublishConsentPolicyHandler"/> refuses an older draft), so this is also the one
    /// published last.
    /// </summary>
    public static Task<ConsentPolicy?> CurrentAsync(this IQueryable<ConsentPolicy> policies, Guid siteId, CancellationToken cancellationToken) =>
        policies.Where(p => p.SiteId == siteId && p.Status == ConsentPolicyStatus.Published)
            .OrderByDescending(p => p.Number).FirstOrDefaultAsync(cancellationToken);
}
