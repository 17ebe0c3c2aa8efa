using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>Read one article in any status (deleted articles are not found).</summary>
public sealed record GetArticle(Guid Id) : IQuery<ArticleDto>;

public sealed class GetArticleHandler(IDaxdiDbContext db) : IQueryHandler<GetArticle, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(GetArticle query, CancellationToken cancellationToken)
    {
        var article = await db.Articles.AsNoTracking()
            .Include(a => a.Terms).Include(a => a.Recommendations).Include(a => a.FormerSlugs)
            .FirstOrDefaultAsync(a => a.Id == query.Id, cancellationToken) ?? throw ArticleQueries.NotFound(query.Id);
        return await ArticleDto.BuildAsync(db, article, cancellationToken);
    }
}
