using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Articles;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Create a draft in a site or, with <paramref name="Publish"/>, an article that is live at once.</summary>
public sealed record CreateArticle(string Site, ArticleFields Body, bool Publish = false, DateTime? PublishedAt = null)
    : ICommand<ArticleDto>, IRetryableCommand;

public sealed class CreateArticleValidator : AbstractValidator<CreateArticle>
{
    public CreateArticleValidator()
    {
        RuleFor(x => x.Body).NotNull().SetValidator(new ArticleFieldsValidator());
        RuleFor(x => x.PublishedAt).Null().When(x => !x.Publish)
            .WithMessage("publishedAt applies only with publish=true.");
    }
}

public sealed class CreateArticleHandler(IDaxdiDbContext db, ArticleComposer composer, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<CreateArticle, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(CreateArticle command, CancellationToken cancellationToken)
    {
        if (command.Publish)
        {
            user.EnsureEditor("publish");
        }

        var site = await db.Sites.GetByKeyAsync(command.Site, cancellationToken);
        var fields = command.Body;
        if (user.IsAuthor())
        {
            // An author's draft is theirs: they are its author unless they name others as well.
            var me = await user.AuthorProfileIdAsync(db, site.Id, cancellationToken);
            var mySlug = user.Author!.AuthorSlug;
            if (fields.Authors.Count == 0)
            {
                fields = fields with { Authors = [mySlug] };
            }
            else if (!fields.Authors.Contains(mySlug))
            {
                throw Domain.Common.DomainException.Forbidden("article.author_must_stay",
                    $"Authors can create only articles they are an author of; include '{mySlug}' (id {me}).");
            }
        }

        var content = await composer.ComposeAsync(site, fields, existing: null, cancellationToken);
        var article = command.Publish
            ? Article.CreatePublished(site.Id, content, command.PublishedAt is { } at ? Clock.Normalize(at) : null, user.Actor(), clock.UtcNow())
            : new Article(site.Id, content, user.Actor(), clock.UtcNow());
        db.Articles.Add(article);
        return await ArticleDto.BuildAsync(db, article, cancellationToken);
    }
}
