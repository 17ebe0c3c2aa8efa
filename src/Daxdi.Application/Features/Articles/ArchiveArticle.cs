using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Archive a published article: it leaves the public site but stays in the admin.</summary>
public sealed record ArchiveArticle(Guid Id, int ExpectedVersion) : ICommand<ArticleDto>;

public sealed class ArchiveArticleHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<ArchiveArticle, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(ArchiveArticle command, CancellationToken cancellationToken) =>
        await ArticleWorkflow.RunAsync(db, user, command.Id, command.ExpectedVersion, "archive",
            (article, actor) => article.Archive(actor, clock.UtcNow()), cancellationToken);
}
