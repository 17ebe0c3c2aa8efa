using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class StoreProbeConfiguration : IEntityTypeConfiguration<StoreProbe>
{
    public void Configure(EntityTypeBuilder<StoreProbe> builder)
    {
        builder.ToTable("StoreProbes");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Payload).IsRequired();
    }
}
