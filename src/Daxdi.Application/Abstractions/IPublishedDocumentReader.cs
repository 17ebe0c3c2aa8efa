using Daxdi.Application.Features.Delivery;

namespace Daxdi.Application.Abstractions;

/// <summary>Reads the stored public documents of a site's published articles (see <see cref="PublishedDocuments"/>).</summary>
/// <remarks>The hottest reads of the API, so each store may read them its own fastest way.</remarks>
public interface IPublishedDocumentReader
{
    /// <summary>The document of the article with this slug; null when there is none.</summary>
    Task<ArticleDocument?> FindAsync(Guid siteId, string slug, CancellationToken cancellationToken);

    /// <summary>The stored list items (<c>Summary</c>) of those of these articles that have a document, by article id.</summary>
    Task<Dictionary<Guid, byte[]>> SummariesAsync(Guid siteId, IReadOnlyCollection<Guid> articleIds, CancellationToken cancellationToken);
}
