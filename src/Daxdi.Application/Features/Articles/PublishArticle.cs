using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Optional body of <c>POST …/publish</c>.</summary>
public sealed record PublishArticleBody
{
    /// <summary>Publication date to show instead of the first publication (or now), e.g. to backdate a correction.</summary>
    public DateTime? PublishedAt { get; init; }
}

/// <summary>Publish a draft or scheduled article now.</summary>
public sealed record PublishArticle(Guid Id, int ExpectedVersion, DateTime? PublishedAt) : ICommand<ArticleDto>;

public sealed class PublishArticleHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<PublishArticle, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(PublishArticle command, CancellationToken cancellationToken) =>
        await ArticleWorkflow.RunAsync(db, user, command.Id, command.ExpectedVersion, "publish",
            (article, actor) => article.Publish(command.PublishedAt is { } at ? Clock.Normalize(at) : null, actor, clock.UtcNow()), cancellationToken);
}
