namespace Daxdi.Application.Abstractions;

/// <summary>An article of the site whose text resembles the one compared, with the estimated similarity (0 to 1).</summary>
public sealed record SimilarArticle(Guid ArticleId, double Similarity);

/// <summary>
/// Near-duplicate detection over the text of a site's articles (every status but deleted): shingles of normalised
/// text summarised by MinHash signatures and found through locality-sensitive hashing, so one comparison stays cheap as
/// the archive grows. Serves the import's <c>duplicateOf</c> and <c>GET /admin/articles/{id}/similar</c>.
/// </summary>
public interface IArticleSimilarity
{
    /// <summary>The similarity at or above which a text counts as a near-duplicate.</summary>
    double DuplicateThreshold { get; }

    /// <summary>The site's articles closest to <paramref name="text"/> (plain text), best first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<SimilarArticle>> FindSimilarAsync(Guid siteId, string text, int max, Guid? excluding, CancellationToken cancellationToken);

    /// <summary>A commit changed articles of the site: the next comparison reads them first.</summary>
    void SiteChanged(Guid siteId);
}

/// <summary>The text an article is compared by: its title and the plain text of its body.</summary>
public static class SimilarityText
{
    public static string Of(string title, string plainBody) => $"{title}\n\n{plainBody}";
}
