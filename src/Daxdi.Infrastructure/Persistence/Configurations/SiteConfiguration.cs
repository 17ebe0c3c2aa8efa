using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> builder)
    {
        builder.ToTable("Sites");
        builder.ConfigureEntity();
        builder.Property(s => s.Key).HasMaxLength(SiteRules.KeyMaxLength).IsRequired();
        builder.HasIndex(s => s.Key).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(SiteRules.NameMaxLength).IsRequired();
        builder.Property(s => s.Domain).HasMaxLength(SiteRules.DomainMaxLength).IsRequired();
        builder.Property(s => s.DefaultLanguage).HasMaxLength(SiteRules.LanguageMaxLength).IsRequired();

        // A JSON text column rather than a provider-specific array type, so all providers store it alike.
        builder.Property(s => s.CorsOrigins)
            .HasField("_corsOrigins")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasStringListConversion();
    }
}
