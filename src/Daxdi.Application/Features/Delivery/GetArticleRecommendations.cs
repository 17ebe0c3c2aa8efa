using Daxdi.Application.Abstractions;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Delivery;

/// <summary>
/// "Recommended by our editors": the curated picks that are published, in order, then published articles that share
/// the most tags with this one (among the site's 500 most recent), most recent first, up to <paramref name="Limit"/>.
/// Never the article itself.
/// </summary>
public sealed record GetArticleRecommendations(string Site, string Slug, int Limit) : IQuery<PublicResult<Recommendations>>;

public sealed class GetArticleRecommendationsValidator : AbstractValidator<GetArticleRecommendations>
{
    public const int DefaultLimit = 6;
    public const int MaxLimit = 20;

    public GetArticleRecommendationsValidator() =>
        RuleFor(x => x.Limit).InclusiveBetween(1, MaxLimit).WithMessage($"'limit' must be between 1 and {MaxLimit}.");
}

public sealed class GetArticleRecommendationsHandler(IDaxdiDbContext db, ISiteDirectory sites)
    : IQueryHandler<GetArticleRecommendations, PublicResult<Recommendations>>
{
    /// <summary>How many of the site's most recent published articles are considered as related.</summary>
    public const int RelatedWindow = 500;

    public async ValueTask<PublicResult<Recommendations>> Handle(GetArticleRecommendations query, CancellationToken cancellationToken)
    {
        var site = await sites.GetSiteAsync(query.Site, cancellationToken);
        var article = await db.Published(site.Id).Where(a => a.Slug == query.Slug)
            .Select(a => new
            {
                a.Id,
                Curated = a.Recommendations.OrderBy(r => r.Position).Select(r => r.RecommendedId).ToList(),
                Tags = a.Terms.Where(t => t.Kind == TermKind.Tag).Select(t => t.TermId).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return new PublicResult<Recommendations>(null, await db.CurrentSlugAsync(site, query.Slug, cancellationToken));
        }

        var publishedCurated = article.Curated.Count == 0 ? [] : (await db.Published(site.Id)
            .Where(a => article.Curated.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        var curated = article.Curated.Where(publishedCurated.Contains).Take(query.Limit).ToList();
        var excluded = curated.Append(article.Id).ToList();

        var related = new List<Guid>();
        if (curated.Count < query.Limit && article.Tags.Count > 0)
        {
            // Related articles come from the most recent ones, so the cost is bounded however large the archive grows.
            var tags = article.Tags;
            var candidates = await db.Published(site.Id)
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(RelatedWindow)
                .Where(a => !excluded.Contains(a.Id))
                .Select(a => new { a.Id, a.PublishedAt, Shared = a.Terms.Count(t => tags.Contains(t.TermId)) })
                .Where(a => a.Shared > 0)
                .ToListAsync(cancellationToken);
            related = [.. candidates.OrderByDescending(c => c.Shared).ThenByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id)
                .Take(query.Limit - curated.Count).Select(c => c.Id)];
        }

        var ordered = curated.Concat(related).ToList();
        var items = await db.ReadAsync(site.Id, ordered, withBody: false,
            dto => new RecommendedArticle(dto, curated.Contains(dto.Id) ? RecommendationReason.Editors : RecommendationReason.Related),
            cancellationToken);
        return new PublicResult<Recommendations>(new Recommendations(items), null);
    }
}
