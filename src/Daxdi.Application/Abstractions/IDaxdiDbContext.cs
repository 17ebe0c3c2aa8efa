using Daxdi.Domain.Security;
using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Abstractions;

/// <summary>
/// The store as handlers see it. Handlers query it directly (no repository layer);
/// the unit-of-work pipeline behavior saves once per command.
/// </summary>
public interface IDaxdiDbContext
{
    DbSet<Site> Sites { get; }

    DbSet<ApiKey> ApiKeys { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
