using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Back to draft: take down a published article, cancel a schedule or reopen an archived article.</summary>
public sealed record UnpublishArticle(Guid Id, int ExpectedVersion) : ICommand<ArticleDto>;

public sealed class UnpublishArticleHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<UnpublishArticle, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(UnpublishArticle command, CancellationToken cancellationToken) =>
        await ArticleWorkflow.RunAsync(db, user, command.Id, command.ExpectedVersion, "unpublish",
            (article, actor) => article.Unpublish(actor, clock.UtcNow()), cancellationToken);
}
