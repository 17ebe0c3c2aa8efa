using Daxdi.Domain.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class OutboxEventConfiguration : IEntityTypeConfiguration<OutboxEvent>
{
    public void Configure(EntityTypeBuilder<OutboxEvent> builder)
    {
        builder.ToTable("OutboxEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Type).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Body).IsRequired();
        // The dispatcher's scan for what is still to hand out; dispatched rows wait only for pruning.
        builder.HasIndex(e => new { e.DispatchedAt, e.OccurredAt });
        builder.HasIndex(e => new { e.SiteId, e.OccurredAt });
    }
}
