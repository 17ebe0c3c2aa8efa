using Daxdi.Domain.Consent;
using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class ConsentPolicyConfiguration : IEntityTypeConfiguration<ConsentPolicy>
{
    public void Configure(EntityTypeBuilder<ConsentPolicy> builder)
    {
        builder.ToTable("ConsentPolicies");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(p => p.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.SiteId, p.Number }).IsUnique();
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Content).HasJsonConversion().IsRequired();
        builder.Property(p => p.ContentHash).HasMaxLength(64).IsRequired();
        builder.Property(p => p.CreatedBy).HasMaxLength(200).IsRequired();
        builder.Property(p => p.UpdatedBy).HasMaxLength(200).IsRequired();
    }
}

internal sealed class ConsentChainConfiguration : IEntityTypeConfiguration<ConsentChain>
{
    public void Configure(EntityTypeBuilder<ConsentChain> builder)
    {
        builder.ToTable("ConsentChains");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(c => c.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.SiteId).IsUnique();
        builder.Property(c => c.LastHash).HasMaxLength(64).IsRequired();
    }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> builder)
    {
        builder.ToTable("ConsentRecords");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(r => r.SiteId).OnDelete(DeleteBehavior.Cascade);
        // No action (checked at the end of the statement): deleting a site takes its records and policies together.
        builder.HasOne<ConsentPolicy>().WithMany().HasForeignKey(r => r.PolicyId).OnDelete(DeleteBehavior.NoAction);
        // One link per position: a second writer that read the same head cannot commit a fork.
        builder.HasIndex(r => new { r.SiteId, r.Sequence }).IsUnique();
        // A subject's latest decision, and their history for access and erasure requests.
        builder.HasIndex(r => new { r.SiteId, r.SubjectId, r.Sequence });
        builder.HasIndex(r => new { r.SiteId, r.CreatedAt });
        builder.Property(r => r.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Hash).HasMaxLength(64).IsRequired();
        builder.Property(r => r.SubjectId).HasMaxLength(ConsentRules.SubjectIdMaxLength);
        builder.Property(r => r.PolicyHash).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Decision).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Control).HasMaxLength(ConsentRules.KeyMaxLength);
        builder.Property(r => r.Choices).HasImmutableJsonConversion().IsRequired();
        builder.Property(r => r.Effective).HasImmutableJsonConversion().IsRequired();
        builder.Property(r => r.ConsentMode).HasImmutableJsonConversion().IsRequired();
        builder.Property(r => r.Language).HasMaxLength(35).IsRequired();
        builder.Property(r => r.ClientAddress).HasMaxLength(100);
        builder.Property(r => r.BrowserFamily).HasMaxLength(40);
        builder.Property(r => r.PageUrl).HasMaxLength(ConsentRules.UrlMaxLength);
        builder.Property(r => r.PersonalSalt).HasMaxLength(32);
        builder.Property(r => r.PersonalCommitment).HasMaxLength(64).IsRequired();
        builder.Ignore(r => r.RecordedAt);
        builder.Ignore(r => r.IsErased);
    }
}

internal sealed class ReceiptSigningKeyConfiguration : IEntityTypeConfiguration<ReceiptSigningKey>
{
    public void Configure(EntityTypeBuilder<ReceiptSigningKey> builder)
    {
        builder.ToTable("ReceiptSigningKeys");
        builder.ConfigureEntity();
        builder.HasIndex(k => k.KeyId).IsUnique();
        builder.Property(k => k.KeyId).HasMaxLength(64).IsRequired();
        builder.Property(k => k.Algorithm).HasMaxLength(16).IsRequired();
        builder.Property(k => k.PublicJwk).HasMaxLength(2000).IsRequired();
        builder.Property(k => k.ProtectedPrivateKey).HasMaxLength(4000).IsRequired();
        builder.Ignore(k => k.IsActive);
    }
}
