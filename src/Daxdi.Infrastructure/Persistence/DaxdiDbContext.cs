using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Events;
using Daxdi.Domain.Security;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Daxdi.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// The model, shared by all providers. Each provider has its own subclass (and so its own migrations set):
/// see <c>docs/adr/0002-one-context-per-provider.md</c>.
/// </summary>
public abstract partial class DaxdiDbContext(DbContextOptions options) : DbContext(options), IDaxdiDbContext
{
    public DbSet<Site> Sites => Set<Site>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Article> Articles => Set<Article>();

    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();

    public DbSet<ArticleTerm> ArticleTerms => Set<ArticleTerm>();

    public DbSet<ArticleFormerSlug> ArticleFormerSlugs => Set<ArticleFormerSlug>();

    public DbSet<ArticleRecommendation> ArticleRecommendations => Set<ArticleRecommendation>();

    public DbSet<PublishedArticleDocument> PublishedArticleDocuments => Set<PublishedArticleDocument>();

    public DbSet<TaxonomyTerm> TaxonomyTerms => Set<TaxonomyTerm>();

    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<ConsentPolicy> ConsentPolicies => Set<ConsentPolicy>();

    public DbSet<ConsentChain> ConsentChains => Set<ConsentChain>();

    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();

    public DbSet<ReceiptSigningKey> ReceiptSigningKeys => Set<ReceiptSigningKey>();

    public DbSet<Domain.Payments.BitcoinWallet> BitcoinWallets => Set<Domain.Payments.BitcoinWallet>();

    public DbSet<Domain.Payments.SiteOffers> SiteOffers => Set<Domain.Payments.SiteOffers>();

    public DbSet<Domain.Payments.PaymentIntent> PaymentIntents => Set<Domain.Payments.PaymentIntent>();

    public DbSet<Domain.Payments.IntentPayment> IntentPayments => Set<Domain.Payments.IntentPayment>();

    public DbSet<Domain.Payments.Entitlement> Entitlements => Set<Domain.Payments.Entitlement>();

    public DbSet<Application.Common.Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Application.Common.Idempotency.IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DaxdiDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC. SQLite and SQL Server do not keep DateTimeKind; this restores it on read
        // so all three providers hand back the same values.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
