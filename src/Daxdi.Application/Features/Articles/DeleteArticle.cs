using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Soft-delete an article: gone from every read and list; its history and slugs are kept.</summary>
public sealed record DeleteArticle(Guid Id, int ExpectedVersion) : ICommand;

public sealed class DeleteArticleHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<DeleteArticle>
{
    public async ValueTask<Unit> Handle(DeleteArticle command, CancellationToken cancellationToken)
    {
        await ArticleWorkflow.ChangeAsync(db, user, command.Id, command.ExpectedVersion, "delete articles",
            (article, actor) => article.Delete(actor, clock.UtcNow()), cancellationToken);
        return Unit.Value;
    }
}
