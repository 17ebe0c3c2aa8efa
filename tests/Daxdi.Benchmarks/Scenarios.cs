using System.Globalization;
using Daxdi.Application.Common;
using Daxdi.Domain.Articles;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Benchmarks;

/// <summary>One load pattern: wrk requests these paths in turn.</summary>
internal sealed record Scenario(string Name, IReadOnlyList<string> Paths);

/// <summary>The paths of each scenario, read from a seeded file, and what they cover.</summary>
internal sealed record ScenarioSet(IReadOnlyList<Scenario> All, int DeepPosition, string SearchCoverage)
{
    public const string List = "list";
    public const string Deep = "deep";
    public const string Slug = "slug";
    public const string Search = "search";
    public const string Recommendations = "recommendations";

    private const int SlugCount = 1000;
    private const int SearchWordCount = 50;

    /// <summary>All scenarios in turn, each path as often as the others' (for warming a process up).</summary>
    public Scenario Mixed() => new("mixed", [.. Enumerable.Range(0, All.Max(s => s.Paths.Count))
        .SelectMany(i => All.Select(s => s.Paths[i % s.Paths.Count]))]);

    public static async Task<ScenarioSet> LoadAsync(string file, Corpus corpus)
    {
        await using var db = Seeder.Open(file);
        var siteId = await db.Sites.Where(s => s.Key == Seeder.SiteKey).Select(s => s.Id).SingleAsync();
        // The public list's order; ordering in SQL keeps the id comparison identical to the API's.
        var ordered = await db.Articles.AsNoTracking()
            .Where(a => a.SiteId == siteId && a.Status == ArticleStatus.Published)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Select(a => new { a.PublishedAt, a.Id, a.Slug })
            .ToListAsync();
        var articles = $"/api/v1/sites/{Seeder.SiteKey}/articles";

        // Page ~500 of 20: the cursor of the 10 000th article (the middle one when there are fewer than 20 000),
        // encoded exactly like PublishedCursor.Keyset.
        var deepPosition = Math.Min(10_000, ordered.Count / 2);
        var last = ordered[deepPosition - 1];
        var cursor = Cursor.Encode("t", last.PublishedAt!.Value.Ticks.ToString(CultureInfo.InvariantCulture), last.Id.ToString());

        IEnumerable<string> Spread(double offset) => Enumerable.Range(0, Math.Min(SlugCount, ordered.Count))
            .Select(k => ordered[(int)((k + offset) * ordered.Count / Math.Min(SlugCount, ordered.Count))].Slug);

        var (words, coverage) = await SearchWordsAsync(db, corpus, ordered.Count);
        return new ScenarioSet(
        [
            new(List, [$"{articles}?limit=20"]),
            new(Deep, [$"{articles}?limit=20&cursor={cursor}"]),
            new(Slug, [.. Spread(0).Select(s => $"{articles}/{s}")]),
            new(Search, [.. words.Select(w => $"{articles}?q={w}")]),
            new(Recommendations, [.. Spread(0.5).Select(s => $"{articles}/{s}/recommendations")]),
        ], deepPosition, coverage);
    }

    /// <summary>
    /// Words of medium frequency: pseudo-words of the rarer half of the vocabulary whose measured share of articles
    /// is 0.1–2 %, spread over that range.
    /// </summary>
    private static async Task<(List<string> Words, string Coverage)> SearchWordsAsync(DbContext db, Corpus corpus, int total)
    {
        var measured = new List<(string Word, double Share)>();
        for (var rank = 1500; rank < Corpus.VocabularySize; rank += 50)
        {
            var word = corpus.Words[rank];
            var match = $"\"{word}\"";
            var hits = await db.Database
                .SqlQuery<int>($"""SELECT count(*) AS "Value" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {match}""")
                .SingleAsync();
            measured.Add((word, hits / (double)total));
        }

        var fitting = measured.Where(m => m.Share is >= 0.001 and <= 0.02).ToList();
        var chosen = (fitting.Count > 0 ? fitting : measured).OrderBy(m => m.Share).ToList();
        chosen = [.. Enumerable.Range(0, Math.Min(SearchWordCount, chosen.Count)).Select(k => chosen[k * chosen.Count / Math.Min(SearchWordCount, chosen.Count)])];
        var shares = chosen.Select(c => c.Share * 100).ToList();
        var coverage = string.Create(CultureInfo.InvariantCulture,
            $"{chosen.Count} words, each in {shares[0]:0.##}–{shares[^1]:0.##} % of articles (median {shares[shares.Count / 2]:0.##} %)");
        return ([.. chosen.Select(c => c.Word)], coverage);
    }
}
