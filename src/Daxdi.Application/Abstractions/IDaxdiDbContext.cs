using Daxdi.Domain.Articles;
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

    DatabaseFacade Database { get; }

    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
