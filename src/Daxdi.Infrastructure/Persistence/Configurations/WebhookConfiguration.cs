using Daxdi.Domain.Sites;
using Daxdi.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("WebhookSubscriptions");
        builder.ConfigureEntity();
        builder.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.SiteId);
        builder.Property(s => s.Url).HasMaxLength(WebhookRules.UrlMaxLength).IsRequired();
        builder.Property(s => s.EventTypes).HasField("_eventTypes").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasStringListConversion();
        builder.Property(s => s.Description).HasMaxLength(WebhookRules.DescriptionMaxLength);
        builder.Property(s => s.Secret).HasMaxLength(100).IsRequired();
        builder.Property(s => s.PreviousSecret).HasMaxLength(100);
        builder.Property(s => s.DisabledReason).HasMaxLength(500);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.EventType).HasMaxLength(WebhookRules.EventTypeMaxLength).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        // One delivery per event and subscription, even if two dispatchers fan the same event out.
        builder.HasIndex(d => new { d.EventId, d.SubscriptionId }).IsUnique();
        // The dispatcher's scan: pending deliveries by when they are due.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        // The delivery log, newest first; pruning by completion.
        builder.HasIndex(d => new { d.SubscriptionId, d.CreatedAt });
        builder.HasIndex(d => d.CompletedAt);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("WebhookAttempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Number });
        builder.Property(a => a.ResponseBody).HasMaxLength(WebhookAttempt.ResponseBodyMaxLength);
        builder.Property(a => a.Error).HasMaxLength(WebhookAttempt.ErrorMaxLength);
    }
}
