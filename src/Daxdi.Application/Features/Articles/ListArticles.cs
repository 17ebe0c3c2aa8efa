using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>An article in the editors' list.</summary>
public sealed record ArticleSummaryDto
{
    public required Guid Id { get; init; }

    /// <example>harbour-bridge-reopens</example>
    public required string Slug { get; init; }

    /// <example>Harbour bridge reopens after six months of repairs</example>
    public required string Title { get; init; }

    /// <example>The bridge reopens on Monday at 6 a.m.</example>
    public required string Excerpt { get; init; }

    /// <example>draft</example>
    public required ArticleStatus Status { get; init; }

    /// <example>en</example>
    public required string Language { get; init; }

    public required IReadOnlyList<TermRef> Authors { get; init; }

    public required IReadOnlyList<TermRef> Tags { get; init; }

    public required TermRef? Section { get; init; }

    public required DateTime? PublishedAt { get; init; }

    public required DateTime? ScheduledAt { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    /// <example>3</example>
    public required int Version { get; init; }
}

/// <summary>Articles of a site in every status, newest first, with filters.</summary>
/// <param name="Status">A status name (<c>draft</c>, <c>scheduled</c>, <c>published</c>, <c>archived</c>), or null for all.</param>
public sealed record ListArticles(string Site, string? Status, string? Author, string? Tag, string? Section, string? Q,
    int Limit, string? Cursor) : IQuery<Page<ArticleSummaryDto>>;

public sealed class ListArticlesValidator : AbstractValidator<ListArticles>
{
    public ListArticlesValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null || EnumNames.Parse<ArticleStatus>(s) is not null)
            .WithMessage("'status' must be one of: draft, scheduled, published, archived.");
        RuleFor(x => x.Q).MaximumLength(ArticleRules.TitleMaxLength);
        RuleFor(x => x.Author).MaximumLength(TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Tag).MaximumLength(TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Section).MaximumLength(TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1, part: v => Guid.TryParse(v, out _));
    }
}

public sealed class ListArticlesHandler(IDaxdiDbContext db, ICurrentUser user) : IQueryHandler<ListArticles, Page<ArticleSummaryDto>>
{
    public async ValueTask<Page<ArticleSummaryDto>> Handle(ListArticles query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var articles = db.Articles.AsNoTracking().Where(a => a.SiteId == site.Id);
        if (user.IsAuthor())
        {
            // An author sees the articles they are an author of, as they may read no others.
            articles = WithTerm(articles, site.Id, TermKind.Author, user.Author!.AuthorSlug);
        }
        if (EnumNames.Parse<ArticleStatus>(query.Status) is { } status)
        {
            articles = articles.Where(a => a.Status == status);
        }

        articles = WithTerm(articles, site.Id, TermKind.Author, query.Author);
        articles = WithTerm(articles, site.Id, TermKind.Tag, query.Tag);
        if (query.Section is { } section)
        {
            var sectionIds = db.TaxonomyTerms.Where(t => t.SiteId == site.Id && t.Kind == TermKind.Section && t.Slug == section).Select(t => t.Id);
            articles = articles.Where(a => a.SectionId != null && sectionIds.Contains(a.SectionId.Value));
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1862 // Translated to SQL LOWER(...) LIKE; culture overloads do not translate.
            articles = articles.Where(a => a.Title.ToLower().Contains(q));
#pragma warning restore CA1304, CA1862
        }

        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var lastId = Guid.Parse(after[0]);
            articles = articles.Where(a => a.Id.CompareTo(lastId) < 0);
        }

        var rows = await articles.OrderByDescending(a => a.Id).Take(query.Limit + 1)
            .Select(a => new
            {
                a.Id, a.Slug, a.Title, a.Excerpt, a.Status, a.Language, a.SectionId, a.PublishedAt, a.ScheduledAt,
                a.CreatedAt, a.UpdatedAt, a.Version,
                Terms = a.Terms.OrderBy(t => t.Position).Select(t => new { t.TermId, t.Kind }).ToList(),
            })
            .ToListAsync(cancellationToken);
        var page = rows.Take(query.Limit).ToList();
        var termIds = page.SelectMany(a => a.Terms.Select(t => t.TermId).Concat(a.SectionId is { } s ? [s] : [])).Distinct().ToList();
        var terms = await TermRefs.LoadAsync(db, termIds, cancellationToken);

        var items = page.Select(a => new ArticleSummaryDto
        {
            Id = a.Id, Slug = a.Slug, Title = a.Title, Excerpt = a.Excerpt, Status = a.Status, Language = a.Language,
            Authors = TermRefs.Pick(terms, a.Terms.Where(t => t.Kind == TermKind.Author).Select(t => t.TermId)),
            Tags = TermRefs.Pick(terms, a.Terms.Where(t => t.Kind == TermKind.Tag).Select(t => t.TermId)),
            Section = a.SectionId is { } id && terms.TryGetValue(id, out var s) ? s : null,
            PublishedAt = a.PublishedAt, ScheduledAt = a.ScheduledAt, CreatedAt = a.CreatedAt, UpdatedAt = a.UpdatedAt,
            Version = a.Version,
        }).ToList();
        var next = rows.Count > query.Limit ? Cursor.Encode(items[^1].Id.ToString()) : null;
        return new Page<ArticleSummaryDto>(items, next);
    }

    private IQueryable<Article> WithTerm(IQueryable<Article> articles, Guid siteId, TermKind kind, string? slug)
    {
        if (slug is null)
        {
            return articles;
        }

        var termIds = db.TaxonomyTerms.Where(t => t.SiteId == siteId && t.Kind == kind && t.Slug == slug).Select(t => t.Id);
        return articles.Where(a => a.Terms.Any(t => termIds.Contains(t.TermId)));
    }
}
