using Daxdi.Domain.Common;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal static class EntityConfiguration
{
    /// <summary>Key, client-generated GUID v7 ids, and the application-managed concurrency version.</summary>
    public static void ConfigureEntity<T>(this EntityTypeBuilder<T> builder) where T : Entity
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Ignore(e => e.DomainEvents);
    }
}
