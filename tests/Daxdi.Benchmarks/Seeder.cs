using System.Diagnostics;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles.Rendering;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Daxdi.Infrastructure.Persistence.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Benchmarks;

/// <summary>
/// One SQLite file per article count: site <c>bench</c>, 20 authors, 8 sections, 60 tags and N published articles,
/// built through the domain (revisions, FTS triggers and all) exactly as the API would store them.
/// </summary>
internal static class Seeder
{
    public const string SiteKey = "bench";

    // Bump when the generated content changes, so files seeded by an older generator are not reused.
    private const int ContentVersion = 1;
    private const int BatchSize = 1000;
    private const string Actor = "system:bench";

    private static readonly string[] Sections = ["News", "Politics", "Business", "Culture", "Sport", "Science", "Opinion", "World"];

    private static readonly string[] FirstNames =
        ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Luis", "Maya", "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara"];

    private static readonly string[] LastNames =
        ["Reyes", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Novak", "Brennan", "Silva", "Weber", "Kowalski", "Ahmed", "Rossi", "Jensen", "Petrova", "Nair", "Walsh", "Costa", "Yilmaz", "Fischer"];

    private static readonly string[] Tags =
    [
        "Transport", "Housing", "Climate", "Elections", "Schools", "Health", "Budget", "Courts", "Crime", "Weather",
        "Energy", "Water", "Parks", "Tourism", "Football", "Basketball", "Tennis", "Cycling", "Theatre", "Music",
        "Film", "Books", "Art", "Food", "Startups", "Banking", "Jobs", "Trade", "Farming", "Fishing",
        "Space", "Technology", "Privacy", "Artificial Intelligence", "Media", "Universities", "Hospitals", "Immigration", "Taxes", "Infrastructure",
        "Bridges", "Rail", "Airports", "Ports", "Cars", "Cycling Lanes", "Heritage", "Religion", "Science Policy", "Public Health",
        "Pensions", "Wages", "Strikes", "Local Business", "Restaurants", "Markets", "Fashion", "Design", "Architecture", "Obituaries",
    ];

    public static SqliteDaxdiDbContext Open(string file) =>
        new(new DbContextOptionsBuilder<SqliteDaxdiDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()).Options);

    /// <summary>The seeded file for <paramref name="articles"/>, reused when it is complete; the seeding time when it was not.</summary>
    public static async Task<(string File, TimeSpan? SeedTime)> EnsureAsync(string dataDir, int articles, Corpus corpus)
    {
        Directory.CreateDirectory(dataDir);
        var file = Path.Combine(dataDir, $"bench-v{ContentVersion}-{articles}.db");
        if (File.Exists(file) && await CountPublishedAsync(file) == articles)
        {
            Console.WriteLine($"Reusing {file} ({articles} published articles).");
            return (file, null);
        }

        // Seed under another name and rename at the end: an interrupted run never leaves a file that looks complete.
        var partial = file + ".partial";
        DeleteDatabase(file);
        DeleteDatabase(partial);
        Console.WriteLine($"Seeding {articles} articles into {file} ...");
        var clock = Stopwatch.StartNew();
        await SeedAsync(partial, articles, corpus);
        File.Move(partial, file);
        Console.WriteLine($"Seeded {articles} articles in {clock.Elapsed.TotalSeconds:F0} s.");
        return (file, clock.Elapsed);
    }

    private static async Task<int> CountPublishedAsync(string file)
    {
        try
        {
            await using var db = Open(file);
            return await db.Articles.CountAsync(a => a.Status == ArticleStatus.Published
                && db.Sites.Any(s => s.Key == SiteKey && s.Id == a.SiteId));
        }
        catch (SqliteException)
        {
            return -1;
        }
    }

    private static void DeleteDatabase(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            File.Delete(path);
        }
    }

    private static async Task SeedAsync(string file, int count, Corpus corpus)
    {
        await using var db = Open(file);
        await db.Database.MigrateAsync();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-131072;");

        var random = new Random(count);
        var now = Clock.Normalize(DateTime.UtcNow);
        var first = now.AddYears(-3);
        var site = new Site(SiteKey, "Bench Daily", "bench.example", [], "en", first.AddDays(-30));
        TaxonomyTerm Term(TermKind kind, string name, string? description) =>
            new(site.Id, kind, Slugs.From(name, TaxonomyRules.SlugMaxLength), name, description, null, site.CreatedAt);
        var authors = FirstNames.Select((f, i) => Term(TermKind.Author, $"{f} {LastNames[i]}", corpus.Sentence(random, 10, 20))).ToList();
        var sections = Sections.Select(s => Term(TermKind.Section, s, null)).ToList();
        var tags = Tags.Select(t => Term(TermKind.Tag, t, corpus.Sentence(random, 6, 12))).ToList();
        db.Sites.Add(site);
        db.TaxonomyTerms.AddRange([.. authors, .. sections, .. tags]);
        await db.SaveChangesAsync();

        var tagWeights = Corpus.ZipfWeights(tags.Count, 1.0);
        // Publication times spread over three years, strictly increasing, so (publishedAt, id) order is the seeding order.
        var step = (now.AddHours(-1) - first).Ticks / count;
        var renderer = new ArticleBodyRenderer();
        var ids = new List<Guid>(count);
        var progressEvery = Math.Max(1, count / BatchSize / 10) * BatchSize;
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < count; start += BatchSize)
        {
            var drafts = Enumerable.Range(start, Math.Min(BatchSize, count - start)).Select(i =>
            {
                var publishedAt = Clock.Normalize(first.AddTicks(step * i + random.NextInt64(Math.Max(1, step / 2))));
                return Draft(random, corpus, i, publishedAt, authors, sections, tags, tagWeights);
            }).ToList();
            var bodies = new RenderedBody[drafts.Count];
            // Rendering (Markdig, sanitizer, AngleSharp) dominates seeding; the renderer is thread-safe.
            Parallel.For(0, drafts.Count, k => bodies[k] = renderer.Render(drafts[k].Markdown, BodyFormat.Markdown, CancellationToken.None));
            for (var k = 0; k < drafts.Count; k++)
            {
                var article = Build(site.Id, drafts[k], bodies[k]);
                if (drafts[k].Recommends.Count > 0)
                {
                    article.SetRecommendations([.. drafts[k].Recommends.Select(i => ids[i])], Actor, drafts[k].PublishedAt);
                }

                ids.Add(article.Id);
                db.Articles.Add(article);
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            if (ids.Count % progressEvery == 0 || ids.Count == count)
            {
                Console.WriteLine($"  {ids.Count,9} / {count} articles ({ids.Count / clock.Elapsed.TotalSeconds:F0}/s)");
            }
        }

        // Back to SQLite's defaults, which is what the API runs with.
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;");
    }

    private sealed record ArticleDraft(string Slug, string Title, string? Subtitle, string Markdown, DateTime PublishedAt,
        DateTime WrittenAt, Guid SectionId, List<Guid> AuthorIds, List<Guid> TagIds, FeaturedImage? Image, List<int> Recommends);

    private static ArticleDraft Draft(Random random, Corpus corpus, int index, DateTime publishedAt,
        List<TaxonomyTerm> authors, List<TaxonomyTerm> sections, List<TaxonomyTerm> tags, double[] tagWeights)
    {
        var titleWords = corpus.Draw(random, random.Next(5, 10));
        var title = string.Join(' ', titleWords);
        var authorCount = random.NextDouble() switch { < 0.7 => 1, < 0.92 => 2, _ => 3 };
        var tagCount = random.Next(1, 6);
        var tagIds = new List<Guid>();
        while (tagIds.Count < tagCount)
        {
            var tag = tags[Corpus.Zipf(random, tagWeights)].Id;
            if (!tagIds.Contains(tag))
            {
                tagIds.Add(tag);
            }
        }

        // About 5 % carry three editors' picks among the (older) articles published just before them.
        var recommends = new List<int>();
        if (index >= 3 && random.NextDouble() < 0.05)
        {
            while (recommends.Count < 3)
            {
                var pick = random.Next(Math.Max(0, index - 2000), index);
                if (!recommends.Contains(pick))
                {
                    recommends.Add(pick);
                }
            }
        }

        return new ArticleDraft(
            Slug: $"{string.Join('-', titleWords.Take(6))}-{index + 1}",
            Title: char.ToUpperInvariant(title[0]) + title[1..],
            Subtitle: random.NextDouble() < 0.5 ? corpus.Sentence(random, 8, 16) : null,
            Markdown: corpus.Body(random, random.Next(300, 901)),
            PublishedAt: publishedAt,
            WrittenAt: publishedAt.AddMinutes(-random.Next(30, 600)),
            SectionId: Corpus.Pick(random, sections).Id,
            AuthorIds: [.. authors.OrderBy(_ => random.Next()).Take(authorCount).Select(a => a.Id)],
            TagIds: tagIds,
            Image: random.NextDouble() < 0.7
                ? new FeaturedImage($"https://img.bench.example/{index + 1}.jpg", corpus.Sentence(random, 4, 8), null, "Bench Agency")
                : null,
            Recommends: recommends);
    }

    private static Article Build(Guid siteId, ArticleDraft draft, RenderedBody body)
    {
        var article = new Article(siteId, new ArticleContent
        {
            Slug = draft.Slug, Title = draft.Title, Subtitle = draft.Subtitle,
            Excerpt = ArticleBodyRenderer.Excerpt(body.PlainText, ArticleRules.GeneratedExcerptLength), ExcerptGenerated = true,
            Body = body.Html, BodyFormat = BodyFormat.Markdown, MarkdownSource = draft.Markdown, Language = "en",
            SearchText = body.PlainText, SectionId = draft.SectionId, AuthorIds = draft.AuthorIds, TagIds = draft.TagIds,
            FeaturedImage = draft.Image, WordCount = body.WordCount, ReadingTimeMinutes = ArticleRules.ReadingTimeMinutes(body.WordCount),
        }, Actor, draft.WrittenAt);
        article.Publish(draft.PublishedAt, Actor, draft.PublishedAt);
        return article;
    }
}
