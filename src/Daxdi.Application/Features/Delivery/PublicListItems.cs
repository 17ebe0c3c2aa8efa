using Daxdi.Application.Abstractions;

namespace Daxdi.Application.Features.Delivery;

/// <summary>
/// The items of a page of a public list, as the JSON a page holds for them: the stored list item of each article that
/// has its document, rendered here for the others (not rendered yet, see <see cref="PublishedDocuments"/>) and for
/// pages that ask for the body.
/// </summary>
public sealed class PublicListItems(IDaxdiDbContext db, IPublishedDocumentReader documents, IPublicJson json)
{
    /// <summary>The published ones among these articles, in the order given.</summary>
    public async Task<List<JsonFragment>> ReadAsync(Guid siteId, IReadOnlyList<Guid> ids, bool withBody, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        if (withBody)
        {
            return await db.ReadAsync(siteId, ids, withBody: true, article => new JsonFragment(json.Serialize(article, typeof(PublicArticle))),
                cancellationToken);
        }

        var items = await documents.SummariesAsync(siteId, ids, cancellationToken);
        var missing = ids.Where(id => !items.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var summary in await db.ReadAsync(siteId, missing, withBody: false, summary => summary, cancellationToken))
            {
                items[summary.Id] = json.Serialize(summary, typeof(PublicArticleSummary));
            }
        }

        return [.. ids.Where(items.ContainsKey).Select(id => new JsonFragment(items[id]))];
    }
}
