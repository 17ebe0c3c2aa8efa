using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using FluentValidation;
using FluentValidation.Results;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Body of <c>POST …/articles/batch</c>: the articles to create, in order.</summary>
public sealed record CreateArticlesBody
{
    /// <summary>1 to 100 articles.</summary>
    public required IReadOnlyList<BatchArticle> Items { get; init; }
}

/// <summary>One article of a batch.</summary>
public sealed record BatchArticle
{
    /// <summary>The same fields as a single create.</summary>
    public required ArticleFields Article { get; init; }

    /// <summary>With <c>publish=true</c>: the publication date to show, e.g. the original date of an archived story.</summary>
    public DateTime? PublishedAt { get; init; }
}

/// <summary>What a batch created: each article's id, slug and version, in the order sent.</summary>
public sealed record CreatedArticles(IReadOnlyList<CreatedArticle> Items);

/// <summary>One created article; its <c>version</c> is the <c>If-Match</c> of its next change.</summary>
public sealed record CreatedArticle(Guid Id, string Slug, ArticleStatus Status, int Version, DateTime? PublishedAt);

/// <summary>
/// Creates up to <see cref="MaxItems"/> articles of a site in one commit (an archive import): all of them or, when one
/// is refused, none. Each gets what a single create gives it (slug, sanitized body, revision, events, document).
/// </summary>
public sealed record CreateArticles(string Site, IReadOnlyList<BatchArticle> Items, bool Publish)
    : ICommand<CreatedArticles>, IRetryableCommand
{
    public const int MaxItems = 100;
}

public sealed class CreateArticlesValidator : AbstractValidator<CreateArticles>
{
    public CreateArticlesValidator()
    {
        RuleFor(x => x.Items).NotNull().NotEmpty()
            .Must(items => items.Count <= CreateArticles.MaxItems).WithMessage($"At most {CreateArticles.MaxItems} articles per batch.");
        RuleForEach(x => x.Items).ChildRules(item =>
            item.RuleFor(i => i.Article).NotNull().SetValidator(new ArticleFieldsValidator()));
        RuleForEach(x => x.Items).Must(item => item.PublishedAt is null).When(x => !x.Publish)
            .WithMessage("publishedAt applies only with publish=true.");
    }
}

public sealed class CreateArticlesHandler(IDaxdiDbContext db, ArticleComposer composer, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<CreateArticles, CreatedArticles>
{
    public async ValueTask<CreatedArticles> Handle(CreateArticles command, CancellationToken cancellationToken)
    {
        user.EnsureEditor("create articles in a batch");
        var site = await db.Sites.GetByKeyAsync(command.Site, cancellationToken);
        var batch = await composer.StartBatchAsync(site, cancellationToken);
        var (actor, now) = (user.Actor(), clock.UtcNow());
        var articles = new List<Article>(command.Items.Count);
        var failures = new List<ValidationFailure>();
        for (var i = 0; i < command.Items.Count; i++)
        {
            var item = command.Items[i];
            ArticleContent content;
            try
            {
                content = await composer.ComposeAsync(site, item.Article, batch, cancellationToken);
            }
            catch (ValidationException e)
            {
                failures.AddRange(e.Errors.Select(f => new ValidationFailure($"items[{i}].article.{f.PropertyName}", f.ErrorMessage)));
                continue;
            }
            catch (DomainException e)
            {
                throw new DomainException(e.Kind, e.Code, $"items[{i}]: {e.Message}");
            }

            articles.Add(command.Publish
                ? Article.CreatePublished(site.Id, content, item.PublishedAt is { } at ? Clock.Normalize(at) : null, actor, now)
                : new Article(site.Id, content, actor, now));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        db.Articles.AddRange(articles);
        return new CreatedArticles([.. articles.Select(a => new CreatedArticle(a.Id, a.Slug, a.Status, a.Version, a.PublishedAt))]);
    }
}
