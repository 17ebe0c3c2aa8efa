using Daxdi.Domain.Articles;
using Daxdi.Domain.Payments;
using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class BitcoinWalletConfiguration : IEntityTypeConfiguration<BitcoinWallet>
{
    public void Configure(EntityTypeBuilder<BitcoinWallet> builder)
    {
        builder.ToTable("BitcoinWallets");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(w => w.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(w => w.SiteId).IsUnique();
        builder.Property(w => w.Network).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.ExtendedPublicKey).HasMaxLength(PaymentRules.ExtendedPublicKeyMaxLength).IsRequired();
        builder.Property(w => w.UnderpaymentTolerancePercent).HasPrecision(5, 2);
        builder.OwnsMany(w => w.RetiredKeys, key =>
        {
            key.ToTable("BitcoinWalletRetiredKeys");
            key.WithOwner().HasForeignKey("WalletId");
            key.HasKey("WalletId", nameof(RetiredWalletKey.Generation));
            key.Property(k => k.Network).HasConversion<string>().HasMaxLength(16);
            key.Property(k => k.ExtendedPublicKey).HasMaxLength(PaymentRules.ExtendedPublicKeyMaxLength).IsRequired();
        });
        builder.Navigation(w => w.RetiredKeys).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(w => w.IntentLifetime);
        builder.Ignore(w => w.MonitoringWindow);
        builder.Ignore(w => w.Gap);
        builder.Ignore(w => w.GapLimitExceeded);
        builder.Ignore(w => w.Settings);
    }
}

internal sealed class SiteOffersConfiguration : IEntityTypeConfiguration<SiteOffers>
{
    public void Configure(EntityTypeBuilder<SiteOffers> builder)
    {
        builder.ToTable("SiteOffers");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(o => o.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(o => o.SiteId).IsUnique();
        builder.Property(o => o.Currency).HasMaxLength(3).IsRequired();
        builder.Property(o => o.MembershipPlans).HasJsonConversion().IsRequired();
        builder.Ignore(o => o.Donation);
        builder.Ignore(o => o.Settings);
    }
}

internal sealed class PaymentIntentConfiguration : IEntityTypeConfiguration<PaymentIntent>
{
    public void Configure(EntityTypeBuilder<PaymentIntent> builder)
    {
        builder.ToTable("PaymentIntents");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(i => i.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<BitcoinWallet>().WithMany().HasForeignKey(i => i.WalletId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Article>().WithMany().HasForeignKey(i => i.ArticleId).OnDelete(DeleteBehavior.NoAction);
        // An address and a derivation slot belong to one intent, ever: the store refuses a second.
        builder.HasIndex(i => new { i.WalletId, i.KeyGeneration, i.DerivationIndex }).IsUnique();
        builder.HasIndex(i => new { i.Network, i.Address }).IsUnique();
        // The finance list (newest first per site, filtered by status) and the monitor's work (watched intents).
        builder.HasIndex(i => new { i.SiteId, i.Id });
        builder.HasIndex(i => new { i.SiteId, i.Status, i.Id });
        builder.HasIndex(i => i.WatchUntil);
        builder.Property(i => i.Network).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Address).HasMaxLength(PaymentRules.AddressMaxLength).IsRequired();
        builder.Property(i => i.Purpose).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.PlanKey).HasMaxLength(PaymentRules.PlanKeyMaxLength);
        builder.Property(i => i.CustomerReference).HasMaxLength(PaymentRules.CustomerReferenceMaxLength);
        builder.Property(i => i.Metadata).HasImmutableJsonConversion().IsRequired();
        builder.Property(i => i.Currency).HasMaxLength(3).IsRequired();
        builder.Property(i => i.Rate).HasPrecision(PaymentRules.RatePrecision, PaymentRules.RateDecimals);
        builder.Property(i => i.RateSource).HasMaxLength(100).IsRequired();
        builder.Property(i => i.ClientSecretHash).HasMaxLength(PaymentRules.ClientSecretHashLength).IsRequired();
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.ExceptionStatus).HasConversion<string>().HasMaxLength(20);
        builder.HasMany(i => i.Payments).WithOne().HasForeignKey(p => p.PaymentIntentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(i => i.History).WithOne().HasForeignKey(h => h.PaymentIntentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.Payments).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(i => i.History).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(i => i.AmountBtc);
        builder.Ignore(i => i.LatePaymentDeadline);
        builder.Ignore(i => i.NewEntitlement);
    }
}

internal sealed class IntentPaymentConfiguration : IEntityTypeConfiguration<IntentPayment>
{
    public void Configure(EntityTypeBuilder<IntentPayment> builder)
    {
        builder.ToTable("IntentPayments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        // One row per output on the chain: a payment seen twice (or by two monitors) is the same row.
        builder.HasIndex(p => new { p.Txid, p.Vout }).IsUnique();
        builder.HasIndex(p => p.PaymentIntentId);
        builder.Property(p => p.Txid).HasMaxLength(PaymentRules.TxidLength).IsFixedLength().IsRequired();
        builder.Ignore(p => p.IsGone);
    }
}

internal sealed class PaymentStatusChangeConfiguration : IEntityTypeConfiguration<PaymentStatusChange>
{
    public void Configure(EntityTypeBuilder<PaymentStatusChange> builder)
    {
        builder.ToTable("PaymentStatusChanges");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.HasIndex(h => new { h.PaymentIntentId, h.Sequence }).IsUnique();
        builder.Property(h => h.From).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.To).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Exception).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Alert).HasConversion<string>().HasMaxLength(32);
        builder.Property(h => h.Reason).HasMaxLength(PaymentRules.ReasonMaxLength);
        builder.Property(h => h.Actor).HasMaxLength(PaymentRules.ActorMaxLength).IsRequired();
    }
}

internal sealed class EntitlementConfiguration : IEntityTypeConfiguration<Entitlement>
{
    public void Configure(EntityTypeBuilder<Entitlement> builder)
    {
        builder.ToTable("Entitlements");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(e => e.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PaymentIntent>().WithMany().HasForeignKey(e => e.PaymentIntentId).OnDelete(DeleteBehavior.NoAction);
        // What was bought is granted once, however many monitors saw the payment confirm.
        builder.HasIndex(e => e.PaymentIntentId).IsUnique();
        builder.HasIndex(e => new { e.SiteId, e.CustomerReference });
        builder.Property(e => e.Purpose).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.PlanKey).HasMaxLength(PaymentRules.PlanKeyMaxLength);
        builder.Property(e => e.CustomerReference).HasMaxLength(PaymentRules.CustomerReferenceMaxLength);
    }
}
