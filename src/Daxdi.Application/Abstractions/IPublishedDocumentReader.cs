using Daxdi.Application.Features.Delivery;

namespace Daxdi.Application.Abstractions;

/// <summary>Finds the stored public document of a site's published article by slug (see <see cref="PublishedDocuments"/>).</summary>
/// <remarks>The hottest read of the API, so each store may read it its own fastest way.</remarks>
public interface IPublishedDocumentReader
{
    Task<ArticleDocument?> FindAsync(Guid siteId, string slug, CancellationToken cancellationToken);
}
