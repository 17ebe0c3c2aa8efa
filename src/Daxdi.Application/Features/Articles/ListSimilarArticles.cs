using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>The articles of the site closest to one article, best first (<c>GET …/articles/{id}/similar</c>).</summary>
public sealed record ListSimilarArticles(Guid Id, int Limit) : IQuery<SimilarArticlesDto>
{
    public const int MaxLimit = 50;
    public const int DefaultLimit = 10;
}

/// <summary>An article like the one asked about, with its estimated similarity and whether that makes it a near-duplicate.</summary>
public sealed record SimilarArticleDto(Guid Id, string Title, string Slug, ArticleStatus Status, double Similarity, bool Duplicate);

/// <summary>The closest articles (similarity at least 0.1), and the threshold at which one counts as a near-duplicate.</summary>
public sealed record SimilarArticlesDto(IReadOnlyList<SimilarArticleDto> Items, double Threshold);

public sealed class ListSimilarArticlesValidator : AbstractValidator<ListSimilarArticles>
{
    public ListSimilarArticlesValidator() =>
        RuleFor(x => x.Limit).InclusiveBetween(1, ListSimilarArticles.MaxLimit)
            .WithMessage($"'limit' must be between 1 and {ListSimilarArticles.MaxLimit}.");
}

public sealed class ListSimilarArticlesHandler(IDaxdiDbContext db, IArticleSimilarity similarity)
    : IQueryHandler<ListSimilarArticles, SimilarArticlesDto>
{
    public async ValueTask<SimilarArticlesDto> Handle(ListSimilarArticles query, CancellationToken cancellationToken)
    {
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == query.Id)
            .Select(a => new { a.SiteId, a.Title, a.SearchText }).SingleOrDefaultAsync(cancellationToken)
            ?? throw ArticleQueries.NotFound(query.Id);
        var found = await similarity.FindSimilarAsync(article.SiteId, SimilarityText.Of(article.Title, article.SearchText), query.Limit,
            query.Id, cancellationToken);
        var ids = found.Select(f => f.ArticleId).ToList();
        var rows = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Title, a.Slug, a.Status }).ToDictionaryAsync(a => a.Id, cancellationToken);
        var threshold = similarity.DuplicateThreshold;
        return new SimilarArticlesDto(
            [.. found.Where(f => rows.ContainsKey(f.ArticleId)).Select(f => (Found: f, Row: rows[f.ArticleId])).Select(x =>
                new SimilarArticleDto(x.Row.Id, x.Row.Title, x.Row.Slug, x.Row.Status, Math.Round(x.Found.Similarity, 3), x.Found.Similarity >= threshold))],
            threshold);
    }
}
