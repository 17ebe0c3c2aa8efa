using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;

namespace Daxdi.Application.Features.Articles;

/// <summary>The steps every editor-only article action shares: role, load, version check, change, result.</summary>
internal static class ArticleWorkflow
{
    public static async Task<ArticleDto> RunAsync(IDaxdiDbContext db, ICurrentUser user, Guid id, int expectedVersion,
        string action, Action<Article, string> change, CancellationToken cancellationToken, Func<Article, Task>? check = null) =>
        await ArticleDto.BuildAsync(db, await ChangeAsync(db, user, id, expectedVersion, action, change, cancellationToken, check),
            cancellationToken);

    /// <summary>The change alone, for actions that answer without the article (delete).</summary>
    public static async Task<Article> ChangeAsync(IDaxdiDbContext db, ICurrentUser user, Guid id, int expectedVersion,
        string action, Action<Article, string> change, CancellationToken cancellationToken, Func<Article, Task>? check = null)
    {
        user.EnsureEditor(action);
        var article = await db.Articles.GetForChangeAsync(id, cancellationToken);
        article.EnsureVersion(expectedVersion);
        if (check is not null)
        {
            await check(article);
        }

        change(article, user.Actor());
        return article;
    }
}
