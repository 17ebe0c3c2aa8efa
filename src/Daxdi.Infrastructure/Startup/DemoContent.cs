using Daxdi.Application.Common;
using Daxdi.Domain.Sites;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Startup;

/// <summary>Demo sites for a new database, so a first run has something to look at.</summary>
internal static class DemoContent
{
    public static async Task SeedAsync(DaxdiDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.Sites.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = clock.UtcNow();
        db.Sites.AddRange(
            new Site("daxdi", "Daxdi News", "daxdi.example",
                ["https://daxdi.example", "http://localhost:3000"], "en", now),
            new Site("harbor-times", "The Harbor Times", "harbor-times.example",
                ["https://harbor-times.example"], "en", now));
        await db.SaveChangesAsync(cancellationToken);
    }
}
