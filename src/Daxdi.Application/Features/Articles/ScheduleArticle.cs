using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Articles;

/// <summary>Body of <c>POST …/schedule</c>.</summary>
public sealed record ScheduleArticleBody
{
    /// <summary>When to publish (UTC, in the future).</summary>
    /// <example>2026-12-01T08:00:00Z</example>
    public required DateTime At { get; init; }
}

/// <summary>Schedule a draft for publication by the background publisher.</summary>
public sealed record ScheduleArticle(Guid Id, int ExpectedVersion, ScheduleArticleBody Body) : ICommand<ArticleDto>;

public sealed class ScheduleArticleValidator : AbstractValidator<ScheduleArticle>
{
    public ScheduleArticleValidator(TimeProvider clock) =>
        RuleFor(x => x.Body.At).Must(at => Clock.Normalize(at) > clock.UtcNow())
            .WithMessage("'at' must be in the future.");
}

public sealed class ScheduleArticleHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<ScheduleArticle, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(ScheduleArticle command, CancellationToken cancellationToken) =>
        await ArticleWorkflow.RunAsync(db, user, command.Id, command.ExpectedVersion, "schedule",
            (article, actor) => article.Schedule(Clock.Normalize(command.Body.At), actor, clock.UtcNow()), cancellationToken);
}
