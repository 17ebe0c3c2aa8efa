using System.Diagnostics.CodeAnalysis;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Articles;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>An author, tag or section as an article names it.</summary>
public sealed record TermRef
{
    /// <example>jane-doe</example>
    public required string Slug { get; init; }

    /// <example>Jane Doe</example>
    public required string Name { get; init; }
}

/// <summary>An article named in another's recommendations.</summary>
public sealed record ArticleRef
{
    public required Guid Id { get; init; }

    /// <example>ferry-timetable-changes</example>
    public required string Slug { get; init; }

    /// <example>Ferry timetable changes for the winter</example>
    public required string Title { get; init; }

    /// <example>published</example>
    public required ArticleStatus Status { get; init; }
}

/// <summary>An article's content and workflow state, as stored now or in a revision.</summary>
public abstract record ArticleContentDto
{
    [SetsRequiredMembers]
    private protected ArticleContentDto(ArticleContent c, ArticleStatus status, DateTime? publishedAt, DateTime? scheduledAt,
        Dictionary<Guid, TermRef> terms)
    {
        Slug = c.Slug;
        Title = c.Title;
        Subtitle = c.Subtitle;
        Excerpt = c.Excerpt;
        ExcerptGenerated = c.ExcerptGenerated;
        Body = c.MarkdownSource ?? c.Body;
        BodyFormat = c.BodyFormat;
        Html = c.Body;
        Language = c.Language;
        Authors = TermRefs.Pick(terms, c.AuthorIds);
        Tags = TermRefs.Pick(terms, c.TagIds);
        Section = c.SectionId is { } id && terms.TryGetValue(id, out var section) ? section : null;
        FeaturedImage = c.FeaturedImage;
        Source = c.Source;
        CanonicalUrl = c.CanonicalUrl;
        Seo = c.Seo;
        WordCount = c.WordCount;
        ReadingTimeMinutes = c.ReadingTimeMinutes;
        Status = status;
        PublishedAt = publishedAt;
        ScheduledAt = scheduledAt;
    }

    /// <example>harbour-bridge-reopens</example>
    public required string Slug { get; init; }

    /// <example>Harbour bridge reopens after six months of repairs</example>
    public required string Title { get; init; }

    public required string? Subtitle { get; init; }

    /// <example>The bridge reopens on Monday at 6 a.m.</example>
    public required string Excerpt { get; init; }

    /// <summary>True when the excerpt was generated from the body rather than written.</summary>
    public required bool ExcerptGenerated { get; init; }

    /// <summary>What the editor wrote: the Markdown source for Markdown articles, the sanitized HTML otherwise.</summary>
    public required string Body { get; init; }

    /// <example>markdown</example>
    public required BodyFormat BodyFormat { get; init; }

    /// <summary>The sanitized HTML that frontends render.</summary>
    /// <example>&lt;h2&gt;Back in service&lt;/h2&gt;&lt;p&gt;The bridge &lt;strong&gt;reopens&lt;/strong&gt; on Monday.&lt;/p&gt;</example>
    public required string Html { get; init; }

    /// <example>en</example>
    public required string Language { get; init; }

    /// <summary>In byline order. Terms deleted since are left out.</summary>
    public required IReadOnlyList<TermRef> Authors { get; init; }

    public required IReadOnlyList<TermRef> Tags { get; init; }

    public required TermRef? Section { get; init; }

    public required FeaturedImage? FeaturedImage { get; init; }

    public required SourceAttribution? Source { get; init; }

    public required string? CanonicalUrl { get; init; }

    public required SeoFields Seo { get; init; }

    /// <example>412</example>
    public required int WordCount { get; init; }

    /// <example>2</example>
    public required int ReadingTimeMinutes { get; init; }

    /// <example>draft</example>
    public required ArticleStatus Status { get; init; }

    public required DateTime? PublishedAt { get; init; }

    public required DateTime? ScheduledAt { get; init; }
}

/// <summary>An article as editors see it, in any status.</summary>
public sealed record ArticleDto : ArticleContentDto, IVersioned
{
    [SetsRequiredMembers]
    private ArticleDto(Article a, string siteKey, Dictionary<Guid, TermRef> terms, IReadOnlyList<ArticleRef> recommendations)
        : base(a.Content, a.Status, a.PublishedAt, a.ScheduledAt, terms)
    {
        Id = a.Id;
        Site = siteKey;
        FormerSlugs = [.. a.FormerSlugs.Select(f => f.Slug).Order(StringComparer.Ordinal)];
        Recommendations = recommendations;
        CreatedAt = a.CreatedAt;
        CreatedBy = a.CreatedBy;
        UpdatedAt = a.UpdatedAt;
        UpdatedBy = a.UpdatedBy;
        Version = a.Version;
    }

    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid Id { get; init; }

    /// <summary>The key of the site the article belongs to.</summary>
    /// <example>daxdi</example>
    public required string Site { get; init; }

    /// <summary>Earlier slugs; public reads of them redirect to <c>slug</c>.</summary>
    public required IReadOnlyList<string> FormerSlugs { get; init; }

    /// <summary>The editors' picks shown with this article, in order.</summary>
    public required IReadOnlyList<ArticleRef> Recommendations { get; init; }

    public required DateTime CreatedAt { get; init; }

    /// <summary>Who created it: <c>key:{apiKeyId}</c> or <c>sub:{tokenSubject}</c>.</summary>
    public required string CreatedBy { get; init; }

    public required DateTime UpdatedAt { get; init; }

    public required string UpdatedBy { get; init; }

    /// <summary>Concurrency version; also the <c>ETag</c>. Send it as <c>If-Match</c> with every change.</summary>
    /// <example>3</example>
    public required int Version { get; init; }

    /// <summary>Builds the DTO of a loaded article (with its terms, recommendations and former slugs).</summary>
    internal static async Task<ArticleDto> BuildAsync(IDaxdiDbContext db, Article a, CancellationToken cancellationToken)
    {
        var siteKey = await db.Sites.Where(s => s.Id == a.SiteId).Select(s => s.Key).SingleAsync(cancellationToken);
        var terms = await TermRefs.LoadAsync(db, a.Content, cancellationToken);
        var recommendationIds = a.RecommendationIds;
        var recommended = recommendationIds.Count == 0
            ? []
            : await db.Articles.AsNoTracking()
                .Where(r => recommendationIds.Contains(r.Id))
                .Select(r => new ArticleRef { Id = r.Id, Slug = r.Slug, Title = r.Title, Status = r.Status })
                .ToDictionaryAsync(r => r.Id, cancellationToken);
        return new ArticleDto(a, siteKey, terms, [.. recommendationIds.Where(recommended.ContainsKey).Select(r => recommended[r])]);
    }
}

internal static class TermRefs
{
    /// <summary>The authors, tags and section that <paramref name="content"/> names.</summary>
    public static Task<Dictionary<Guid, TermRef>> LoadAsync(IDaxdiDbContext db, ArticleContent content, CancellationToken cancellationToken) =>
        LoadAsync(db, [.. content.AuthorIds, .. content.TagIds, .. content.SectionId is { } id ? [id] : Array.Empty<Guid>()], cancellationToken);

    /// <summary>Terms by id, including ones created in this unit of work and not saved yet.</summary>
    public static async Task<Dictionary<Guid, TermRef>> LoadAsync(IDaxdiDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var refs = WithoutDetectingChanges(db, () => db.TaxonomyTerms.Local.Where(t => ids.Contains(t.Id))
            .ToDictionary(t => t.Id, t => new TermRef { Slug = t.Slug, Name = t.Name }));
        var missing = ids.Where(id => !refs.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            var stored = await db.TaxonomyTerms.AsNoTracking().Where(t => missing.Contains(t.Id))
                .Select(t => new { t.Id, t.Slug, t.Name }).ToListAsync(cancellationToken);
            foreach (var t in stored)
            {
                refs[t.Id] = new TermRef { Slug = t.Slug, Name = t.Name };
            }
        }

        return refs;
    }

    public static IReadOnlyList<TermRef> Pick(Dictionary<Guid, TermRef> terms, IEnumerable<Guid> ids) =>
        [.. ids.Where(terms.ContainsKey).Select(id => terms[id])];

    /// <summary>
    /// <c>Local</c> runs DetectChanges over everything tracked (the article, its links and revision snapshots) just to
    /// list the terms; what it lists does not depend on it: an added term is there from <c>Add</c> on.
    /// </summary>
    private static T WithoutDetectingChanges<T>(IDaxdiDbContext db, Func<T> read)
    {
        var tracker = db.ChangeTracker;
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return read();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }
}
