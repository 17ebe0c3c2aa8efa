using Daxdi.Domain.Articles;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Events;
using Daxdi.Domain.Security;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Daxdi.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Daxdi.Application.Abstractions;

/// <summary>
/// The store as handlers see it. Handlers query it directly (no repository layer);
/// the unit-of-work pipeline behavior saves once per command.
/// </summary>
public interface IDaxdiDbContext
{
    DbSet<Site> Sites { get; }

    DbSet<ApiKey> ApiKeys { get; }

    /// <summary>Articles that are not deleted (a global filter hides soft-deleted ones).</summary>
    DbSet<Article> Articles { get; }

    DbSet<ArticleRevision> ArticleRevisions { get; }

    DbSet<ArticleTerm> ArticleTerms { get; }

    DbSet<ArticleFormerSlug> ArticleFormerSlugs { get; }

    DbSet<ArticleRecommendation> ArticleRecommendations { get; }

    /// <summary>The rendered public JSON of published articles (a read model, see <see cref="PublishedArticleDocument"/>).</summary>
    DbSet<PublishedArticleDocument> PublishedArticleDocuments { get; }

    DbSet<TaxonomyTerm> TaxonomyTerms { get; }

    /// <summary>Integration events written with the changes that caused them (the outbox the webhooks read).</summary>
    DbSet<OutboxEvent> OutboxEvents { get; }

    DbSet<WebhookSubscription> WebhookSubscriptions { get; }

    /// <summary>Each event on its way to each subscription that wants it.</summary>
    DbSet<WebhookDelivery> WebhookDeliveries { get; }

    /// <summary>The delivery log: one row per HTTP attempt.</summary>
    DbSet<WebhookAttempt> WebhookAttempts { get; }

    /// <summary>Versions of the sites' cookie banners.</summary>
    DbSet<ConsentPolicy> ConsentPolicies { get; }

    /// <summary>The head of each site's chain of consent records.</summary>
    DbSet<ConsentChain> ConsentChains { get; }

    /// <summary>Consent decisions: appended, never changed except by erasure (see <c>ConsentRecordGuard</c>).</summary>
    DbSet<ConsentRecord> ConsentRecords { get; }

    /// <summary>Keys that sign consent receipts; retired ones keep verifying.</summary>
    DbSet<ReceiptSigningKey> ReceiptSigningKeys { get; }

    DbSet<Domain.Payments.BitcoinWallet> BitcoinWallets { get; }

    DbSet<Domain.Payments.SiteOffers> SiteOffers { get; }

    DbSet<Domain.Payments.PaymentIntent> PaymentIntents { get; }

    /// <summary>Payments seen on the chain, one per output; read through their intent.</summary>
    DbSet<Domain.Payments.IntentPayment> IntentPayments { get; }

    DbSet<Domain.Payments.Entitlement> Entitlements { get; }

    /// <summary>Answered idempotent requests, kept for replay.</summary>
    DbSet<Common.Idempotency.IdempotencyRecord> IdempotencyRecords { get; }

    DatabaseFacade Database { get; }

    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>The tracker's entry for <paramref name="entity"/>.</summary>
    EntityEntry<TEntity> Entry<TEntity>(TEntity entity) where TEntity : class;

    /// <summary>
    /// The site's published article with <paramref name="slug"/>, or, when it is null, the published ones among
    /// <paramref name="ids"/>; the body and its companions only <paramref name="withBody"/>.
    /// </summary>
    /// <remarks>Every public read and document render takes articles from here, so the store answers it with a compiled query.</remarks>
    ValueTask<List<PublishedArticleRow>> PublishedArticleRowsAsync(Guid siteId, string? slug, List<Guid> ids, bool withBody, CancellationToken cancellationToken);

    /// <summary>The authors and tags of these articles, each article's in their position order.</summary>
    ValueTask<List<ArticleTermLink>> ArticleTermLinksAsync(List<Guid> articleIds, CancellationToken cancellationToken);

    /// <summary>The unrevoked API keys with this prefix, with the site and author profile an author key is bound to.</summary>
    /// <remarks>Every request authenticates, so the store answers it with a compiled query.</remarks>
    ValueTask<List<ApiKeyCandidate>> ApiKeyCandidatesAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The site's authors, tags and sections, not tracked (each save looks them up; a compiled query).</summary>
    ValueTask<List<TaxonomyTerm>> SiteTermsAsync(Guid siteId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether an article of the site other than <paramref name="selfId"/> has or had <paramref name="slug"/>, deleted
    /// ones included: two index lookups, compiled.
    /// </summary>
    Task<bool> SlugTakenAsync(Guid siteId, Guid selfId, string slug, CancellationToken cancellationToken);
}
