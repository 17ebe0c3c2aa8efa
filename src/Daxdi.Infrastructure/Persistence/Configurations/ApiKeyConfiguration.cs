using Daxdi.Application.Security;
using Daxdi.Domain.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.ConfigureEntity();
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength).IsRequired();
        builder.Property(k => k.Role).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeySecret.PrefixLength).IsRequired();
        builder.HasIndex(k => k.Prefix);
        builder.Property(k => k.SecretHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.Ignore(k => k.IsActive);
    }
}
