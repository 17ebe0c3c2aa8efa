using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class TaxonomyTermConfiguration : IEntityTypeConfiguration<TaxonomyTerm>
{
    public void Configure(EntityTypeBuilder<TaxonomyTerm> builder)
    {
        builder.ToTable("TaxonomyTerms");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(t => t.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(t => t.Slug).HasMaxLength(TaxonomyRules.SlugMaxLength).IsRequired();
        builder.Property(t => t.Name).HasMaxLength(TaxonomyRules.NameMaxLength).IsRequired();
        builder.Property(t => t.Description).HasMaxLength(TaxonomyRules.DescriptionMaxLength);
        builder.Property(t => t.AvatarUrl).HasMaxLength(TaxonomyRules.UrlMaxLength);
        builder.HasIndex(t => new { t.SiteId, t.Kind, t.Slug }).IsUnique();
    }
}
