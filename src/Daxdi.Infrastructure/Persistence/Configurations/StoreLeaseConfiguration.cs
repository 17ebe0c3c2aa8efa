using Daxdi.Infrastructure.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class StoreLeaseConfiguration : IEntityTypeConfiguration<StoreLease>
{
    public void Configure(EntityTypeBuilder<StoreLease> builder)
    {
        // StoreLeases writes this table with SQL of its own for the insert: keep the names in step with it.
        builder.ToTable("Leases");
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(StoreLease.NameMaxLength).ValueGeneratedNever();
        builder.Property(l => l.Holder).HasMaxLength(StoreLease.HolderMaxLength).IsRequired();
    }
}
