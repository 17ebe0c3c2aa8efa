using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Replace an article's content (a save). The workflow state is changed only by the workflow actions.</summary>
public sealed record ReplaceArticle(Guid Id, int ExpectedVersion, ArticleFields Body) : ICommand<ArticleDto>, IRetryableCommand;

public sealed class ReplaceArticleValidator : AbstractValidator<ReplaceArticle>
{
    public ReplaceArticleValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new ArticleFieldsValidator());
}

public sealed class ReplaceArticleHandler(IDaxdiDbContext db, ArticleComposer composer, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<ReplaceArticle, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(ReplaceArticle command, CancellationToken cancellationToken)
    {
        var article = await db.Articles.GetForChangeAsync(command.Id, cancellationToken);
        await user.EnsureCanEditAsync(db, article, newAuthorIds: null, cancellationToken);
        article.EnsureVersion(command.ExpectedVersion);
        var site = await db.Sites.FindAsync([article.SiteId], cancellationToken)
            ?? throw SiteQueries.NotFound(article.SiteId.ToString());
        var content = await composer.ComposeAsync(site, command.Body, article, cancellationToken);
        await user.EnsureCanEditAsync(db, article, content.AuthorIds, cancellationToken);
        article.Replace(content, user.Actor(), clock.UtcNow());
        return await ArticleDto.BuildAsync(db, article, cancellationToken);
    }
}
