using Daxdi.Domain.Common;
using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Sites;

/// <summary>Finding a site by its key, and the one answer when there is none.</summary>
public static class SiteQueries
{
    public static async Task<Site> GetByKeyAsync(this IQueryable<Site> sites, string key, CancellationToken cancellationToken) =>
        await sites.FirstOrDefaultAsync(s => s.Key == key, cancellationToken) ?? throw NotFound(key);

    public static DomainException NotFound(string key) =>
        DomainException.NotFound("site.not_found", $"No site with key '{key}'.");
}
