using Daxdi.Application.Common;
using Daxdi.Domain.Common;
using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Daxdi.Application.Features.Sites;

internal static class SiteQueries
{
    public static async Task<Site> GetByKeyAsync(this IQueryable<Site> sites, string key, CancellationToken cancellationToken) =>
        await sites.FirstOrDefaultAsync(s => s.Key == key, cancellationToken) ?? throw NotFound(key);

    /// <summary>The site with this key, tracked; a compiled query (<see cref="PerContextType{T}"/>).</summary>
    public static async Task<Site> GetByKeyAsync(this DbSet<Site> sites, string key, CancellationToken cancellationToken)
    {
        var context = sites.GetService<ICurrentDbContext>().Context;
        return await PerContextType<Compiled>.For(context).ByKey(context, key) ?? throw NotFound(key);
    }

    /// <summary>The key of the site with this id; a compiled query.</summary>
    public static Task<string> KeyOfAsync(this DbContext context, Guid siteId) => PerContextType<Compiled>.For(context).KeyOf(context, siteId);

    public static DomainException NotFound(string key) =>
        DomainException.NotFound("site.not_found", $"No site with key '{key}'.");

    private sealed class Compiled
    {
        public Func<DbContext, string, Task<Site?>> ByKey { get; } =
            EF.CompileAsyncQuery((DbContext db, string key) => db.Set<Site>().FirstOrDefault(s => s.Key == key));

        public Func<DbContext, Guid, Task<string>> KeyOf { get; } =
            EF.CompileAsyncQuery((DbContext db, Guid id) => db.Set<Site>().Where(s => s.Id == id).Select(s => s.Key).Single());
    }
}
