using System.Globalization;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Delivery;

/// <summary>
/// A site's published articles, newest first, with filters; or, with <paramref name="Q"/>, the best matches first.
/// <paramref name="Fields"/> is a comma-separated subset of fields (see <see cref="PublicFields"/>). The items are
/// <see cref="PublicArticleSummary"/> JSON, or <see cref="PublicArticle"/> JSON when the fields ask for the body.
/// </summary>
public sealed record ListPublishedArticles(string Site, string? Tag, string? Author, string? Section, string? Language,
    DateTime? From, DateTime? To, string? Q, string? Fields, int Limit, string? Cursor) : IQuery<Page<JsonFragment>>;

public sealed class ListPublishedArticlesValidator : AbstractValidator<ListPublishedArticles>
{
    public ListPublishedArticlesValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).Must((query, cursor) => cursor is null || PublishedCursor.TryRead(cursor, query.Q is not null, out _, out _, out _))
            .WithMessage("'cursor' is not valid: pass the nextCursor value of a previous page unchanged, with the same q.");
        RuleFor(x => x.Fields).Must(f => f is null || PublicFields.TryParse(f, out _))
            .WithMessage($"'fields' must be a comma-separated list of: {string.Join(", ", PublicFields.Allowed)}.");
        RuleFor(x => x.Tag).MaximumLength(TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Author).MaximumLength(TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Section).MaximumLength(TaxonomyRules.SlugMaxLength);
        RuleFor(x => x.Language).MaximumLength(ArticleRules.LanguageMaxLength);
        RuleFor(x => x.Q).MaximumLength(SearchQuery.MaxLength);
        RuleFor(x => x.To).Must((query, to) => query.From is null || to is null || query.From <= to)
            .WithMessage("'to' must not be before 'from'.");
    }
}

public sealed class ListPublishedArticlesHandler(IDaxdiDbContext db, ISiteDirectory sites, IArticleSearch search, PublicListItems listItems)
    : IQueryHandler<ListPublishedArticles, Page<JsonFragment>>
{
    /// <summary>A search ranks at most this many matches; deeper pages of a search are not offered.</summary>
    public const int MaxSearchResults = 1000;

    public async ValueTask<Page<JsonFragment>> Handle(ListPublishedArticles query, CancellationToken cancellationToken)
    {
        var site = await sites.GetSiteAsync(query.Site, cancellationToken);
        var withBody = query.Fields is not null && PublicFields.TryParse(query.Fields, out var fields) && fields.Overlaps(PublicFields.BodyFields);
        var articles = Filtered(db.Published(site.Id), site.Id, query);

        if (query.Q is { } q && !string.IsNullOrWhiteSpace(q))
        {
            var (pageIds, nextOffset) = await SearchAsync(site.Id, articles, SearchQuery.Parse(q), query, cancellationToken);
            var found = await listItems.ReadAsync(site.Id, pageIds, withBody, cancellationToken);
            return new Page<JsonFragment>(found, nextOffset is { } offset ? PublishedCursor.Search(offset) : null);
        }

        if (query.Cursor is not null && PublishedCursor.TryRead(query.Cursor, search: false, out var at, out var lastId, out _))
        {
            articles = articles.Where(a => a.PublishedAt <= at && (a.PublishedAt < at || a.Id.CompareTo(lastId) < 0));
        }

        var rows = await articles.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(query.Limit + 1).Select(a => new { a.Id, PublishedAt = a.PublishedAt!.Value }).ToListAsync(cancellationToken);
        var page = rows.Take(query.Limit).ToList();
        var items = await listItems.ReadAsync(site.Id, [.. page.Select(r => r.Id)], withBody, cancellationToken);
        var next = rows.Count > query.Limit ? PublishedCursor.Keyset(page[^1].PublishedAt, page[^1].Id) : null;
        return new Page<JsonFragment>(items, next);
    }

    /// <summary>The ids of one page of matches, best first, and the offset of the next page if there is one.</summary>
    private async Task<(List<Guid> PageIds, int? NextOffset)> SearchAsync(Guid siteId, IQueryable<Article> filtered,
        SearchQuery parsed, ListPublishedArticles query, CancellationToken cancellationToken)
    {
        var offset = query.Cursor is not null && PublishedCursor.TryRead(query.Cursor, search: true, out _, out _, out var o) ? o : 0;
        var narrowed = query is not { Tag: null, Author: null, Section: null, Language: null, From: null, To: null };

        // Without filters the engine's best offset + limit + 1 are enough (the extra one tells whether a next page
        // exists); with filters it ranks up to the maximum and the filters keep what passes.
        var hits = await search.SearchAsync(siteId, parsed, narrowed ? MaxSearchResults : Math.Min(offset + query.Limit + 1, MaxSearchResults), cancellationToken);
        var ranked = hits.Select(h => h.ArticleId).ToList();
        if (narrowed)
        {
            var passing = (await filtered.Where(a => ranked.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
            ranked = [.. ranked.Where(passing.Contains)];
        }

        return ([.. ranked.Skip(offset).Take(query.Limit)], offset + query.Limit < ranked.Count ? offset + query.Limit : null);
    }

    private IQueryable<Article> Filtered(IQueryable<Article> articles, Guid siteId, ListPublishedArticles query)
    {
        if (query.Tag is { } tag)
        {
            var ids = db.TaxonomyTerms.Where(t => t.SiteId == siteId && t.Kind == TermKind.Tag && t.Slug == tag).Select(t => t.Id);
            articles = articles.Where(a => a.Terms.Any(t => ids.Contains(t.TermId)));
        }

        if (query.Author is { } author)
        {
            var ids = db.TaxonomyTerms.Where(t => t.SiteId == siteId && t.Kind == TermKind.Author && t.Slug == author).Select(t => t.Id);
            articles = articles.Where(a => a.Terms.Any(t => ids.Contains(t.TermId)));
        }

        if (query.Section is { } section)
        {
            var ids = db.TaxonomyTerms.Where(t => t.SiteId == siteId && t.Kind == TermKind.Section && t.Slug == section).Select(t => t.Id);
            articles = articles.Where(a => a.SectionId != null && ids.Contains(a.SectionId.Value));
        }

        if (query.Language is { } language)
        {
            articles = articles.Where(a => a.Language == language);
        }

        if (query.From is { } from)
        {
            var start = Clock.Normalize(from);
            articles = articles.Where(a => a.PublishedAt >= start);
        }

        if (query.To is { } to)
        {
            var end = Clock.Normalize(to);
            articles = articles.Where(a => a.PublishedAt <= end);
        }

        return articles;
    }
}

/// <summary>
/// Cursors of the public list: the (publishedAt, id) of the last item for the newest-first list, an offset into
/// the ranked matches for a search. Opaque to clients.
/// </summary>
internal static class PublishedCursor
{
    public static string Keyset(DateTime publishedAt, Guid id) =>
        Cursor.Encode("t", publishedAt.Ticks.ToString(CultureInfo.InvariantCulture), id.ToString());

    public static string Search(int offset) =>
        Cursor.Encode("q", offset.ToString(CultureInfo.InvariantCulture), "");

    public static bool TryRead(string cursor, bool search, out DateTime at, out Guid lastId, out int offset)
    {
        at = default;
        lastId = default;
        offset = 0;
        if (!Cursor.TryDecode(cursor, 3, out var parts))
        {
            return false;
        }

        if (search)
        {
            return parts[0] == "q" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && offset < ListPublishedArticlesHandler.MaxSearchResults;
        }

        if (parts[0] != "t" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks || !Guid.TryParse(parts[2], out lastId))
        {
            return false;
        }

        at = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }
}
