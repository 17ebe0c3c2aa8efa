using Daxdi.Application.Common.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyKeys");
        // The key is the primary key within its scope: the index that lets one of two racing requests commit.
        builder.HasKey(r => new { r.Scope, r.Key });
        builder.Property(r => r.Scope).HasMaxLength(IdempotencyRules.ScopeMaxLength);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyRules.KeyMaxLength);
        builder.Property(r => r.Fingerprint).HasMaxLength(64).IsRequired();
        builder.Property(r => r.ProtectedResponse).IsRequired();
        builder.HasIndex(r => r.ExpiresAt);
    }
}
