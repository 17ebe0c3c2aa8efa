using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Application.Features.Delivery;

/// <summary>What a unit of work changes that published articles show: articles themselves, and terms (by site).</summary>
public sealed record DocumentChanges(IReadOnlyCollection<(Guid SiteId, Guid ArticleId)> Articles, IReadOnlyCollection<(Guid SiteId, Guid TermId)> Terms)
{
    /// <summary>Articles of <see cref="Articles"/> that the commit creates: they have no document to delete yet.</summary>
    public IReadOnlySet<Guid> Created { get; init; } = new HashSet<Guid>();

    public bool IsEmpty => Articles.Count == 0 && Terms.Count == 0;

    /// <summary>The sites to lock, in one order for every writer so two of them never wait on each other.</summary>
    public IEnumerable<Guid> Sites => Articles.Select(a => a.SiteId).Concat(Terms.Select(t => t.SiteId)).Distinct().Order();

    /// <summary>What the tracker is about to save, and the articles whose documents were asked for besides.</summary>
    public static DocumentChanges Of(ChangeTracker tracker, IEnumerable<(Guid SiteId, Guid ArticleId)> requested)
    {
        var articles = new HashSet<(Guid, Guid)>(requested);
        var created = new HashSet<Guid>();
        var terms = new HashSet<(Guid, Guid)>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            switch (entry.Entity)
            {
                // Only published articles have a document: a change that leaves an article unpublished, as it was
                // before, has none to replace or remove (a draft's save, a schedule).
                case Article article when article.Status == ArticleStatus.Published || (entry.State != EntityState.Added
                    && entry.Property(nameof(Article.Status)).OriginalValue is ArticleStatus.Published):
                    articles.Add((article.SiteId, article.Id));
                    if (entry.State == EntityState.Added)
                    {
                        created.Add(article.Id);
                    }

                    break;
                // Articles show a term's slug and name only; a new term is on no article yet.
                case TaxonomyTerm term when entry.State == EntityState.Deleted
                    || (entry.State == EntityState.Modified && (entry.Property(nameof(TaxonomyTerm.Slug)).IsModified || entry.Property(nameof(TaxonomyTerm.Name)).IsModified)):
                    terms.Add((term.SiteId, term.Id));
                    break;
            }
        }

        return new DocumentChanges(articles, terms) { Created = created };
    }
}

/// <summary>
/// Keeps <see cref="PublishedArticleDocument"/>s in step with the store: in the transaction of every change, the
/// documents it affects are deleted, and those of changed articles rendered again from what the transaction now sees.
/// </summary>
/// <remarks>
/// A document may therefore be read in place of the article whenever it exists. Writers first lock the rows of the
/// sites they change (the commit pipeline does), so on stores where readers do not wait for writers (PostgreSQL,
/// SQL Server) a document is never rendered from a state that another writer is about to change; SQLite runs one
/// writer at a time anyway.
/// </remarks>
public sealed class PublishedDocuments(IDaxdiDbContext db, IPublicJson json)
{
    private const int BatchSize = 200;

    /// <summary>The most changed articles whose documents a commit renders itself; beyond it they go to the background.</summary>
    public const int InlineLimit = 500;

    /// <summary>
    /// Renders again the documents of the changed articles. The documents of articles that show a changed term, and
    /// those of a change to more than <see cref="InlineLimit"/> articles, are removed and left to the background
    /// (<see cref="DocumentRenderSignal"/>): a tag can be on tens of thousands of articles, too many to render while the
    /// transaction holds the store's write lock. Until then their reads render per request. Returns whether any were
    /// left to the background.
    /// </summary>
    public async Task<bool> RefreshAsync(DocumentChanges changes, CancellationToken cancellationToken)
    {
        var leftToBackground = false;
        foreach (var terms in changes.Terms.GroupBy(t => t.SiteId, t => t.TermId))
        {
            leftToBackground |= await RemoveShowingAsync(terms.Key, [.. terms], cancellationToken) > 0;
        }

        // All old documents go first: an article may take over a slug that another one in the set gives up.
        foreach (var batch in changes.Articles.Select(a => a.ArticleId).Where(id => !changes.Created.Contains(id)).Chunk(BatchSize))
        {
            await db.PublishedArticleDocuments.Where(d => batch.Contains(d.ArticleId)).ExecuteDeleteAsync(cancellationToken);
        }

        if (changes.Articles.Count > InlineLimit)
        {
            return true;
        }

        foreach (var site in changes.Articles.GroupBy(a => a.SiteId, a => a.ArticleId))
        {
            foreach (var batch in site.Chunk(BatchSize))
            {
                await RenderAsync(site.Key, batch, cancellationToken);
            }
        }

        return leftToBackground;
    }

    /// <summary>
    /// Removes, in one statement, the documents of the site's articles that show any of these terms, to be rendered in
    /// the background. Returns how many went.
    /// </summary>
    /// <remarks>
    /// Driven by the term indexes (links by term, articles by section), then a key lookup per document; a condition
    /// checked on every document instead took over a minute for a tag on 30,000 of 100,000 articles on SQLite.
    /// </remarks>
    private Task<int> RemoveShowingAsync(Guid siteId, IReadOnlyCollection<Guid> termIds, CancellationToken cancellationToken)
    {
        var showing = db.ArticleTerms.Where(t => termIds.Contains(t.TermId)).Select(t => t.ArticleId)
            .Union(db.Articles.Where(a => a.SiteId == siteId && a.SectionId != null && termIds.Contains(a.SectionId.Value)).Select(a => a.Id));
        return db.PublishedArticleDocuments.Where(d => showing.Contains(d.ArticleId)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="max"/> published articles that have no document, in id order after <paramref name="after"/>
    /// (null: from the start).
    /// </summary>
    public async Task<List<(Guid SiteId, Guid ArticleId)>> MissingAsync(Guid? after, int max, CancellationToken cancellationToken)
    {
        var start = after ?? Guid.Empty;
        var missing = await db.Articles.AsNoTracking()
            .Where(a => a.Status == ArticleStatus.Published && a.Id.CompareTo(start) > 0
                && !db.PublishedArticleDocuments.Any(d => d.ArticleId == a.Id))
            .OrderBy(a => a.Id).Take(max)
            .Select(a => new { a.SiteId, a.Id })
            .ToListAsync(cancellationToken);
        return [.. missing.Select(m => (m.SiteId, m.Id))];
    }

    private async Task RenderAsync(Guid siteId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var published = await db.ReadAsync(siteId, ids, withBody: true, dto => (PublicArticle)dto, cancellationToken);
        var documents = published.Select(article =>
        {
            var rendered = json.Render(article, typeof(PublicArticle));
            return new PublishedArticleDocument(article.Id, siteId, article.Slug, rendered.Bytes, rendered.ETag,
                json.Serialize(article, typeof(PublicArticleSummary)));
        }).ToList();
        if (documents.Count == 0)
        {
            return;
        }

        db.PublishedArticleDocuments.AddRange(documents);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var document in documents)
        {
            // Saved; a large refresh (thousands of changed articles) must not keep them all in memory.
            db.Entry(document).State = EntityState.Detached;
        }
    }
}

/// <summary>Wakes the background renderer after a commit left documents to it.</summary>
public sealed class DocumentRenderSignal : IDisposable
{
    private readonly SemaphoreSlim _raised = new(0, 1);

    /// <summary>Call after the commit, so the renderer cannot look before the documents are gone.</summary>
    public void Raise()
    {
        if (_raised.CurrentCount == 0)
        {
            try
            {
                _raised.Release();
            }
            catch (SemaphoreFullException)
            {
                // Raised by another commit at the same moment: one wake-up serves both.
            }
        }
    }

    /// <summary>Waits until raised or until <paramref name="timeout"/>; true when raised.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _raised.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _raised.Dispose();
}
