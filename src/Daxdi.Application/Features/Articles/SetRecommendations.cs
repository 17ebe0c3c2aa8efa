using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>Body of <c>PUT …/recommendations</c>.</summary>
public sealed record RecommendationsBody
{
    /// <summary>Other articles of the same site, in the order to show them (at most 10; an empty list clears).</summary>
    public required IReadOnlyList<Guid> ArticleIds { get; init; }
}

/// <summary>Set the editors' "recommended" list of an article.</summary>
public sealed record SetRecommendations(Guid Id, int ExpectedVersion, RecommendationsBody Body) : ICommand<ArticleDto>;

public sealed class SetRecommendationsValidator : AbstractValidator<SetRecommendations>
{
    public SetRecommendationsValidator()
    {
        RuleFor(x => x.Body.ArticleIds).NotNull()
            .Must(ids => ids.Count <= ArticleRules.MaxRecommendations).WithMessage($"At most {ArticleRules.MaxRecommendations} recommendations.")
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("'articleIds' must not repeat an article.");
        RuleForEach(x => x.Body.ArticleIds)
            .Must((command, id) => id != command.Id).WithMessage("An article cannot recommend itself.");
    }
}

public sealed class SetRecommendationsHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<SetRecommendations, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(SetRecommendations command, CancellationToken cancellationToken)
    {
        var ids = command.Body.ArticleIds;
        return await ArticleWorkflow.RunAsync(db, user, command.Id, command.ExpectedVersion, "set recommendations",
            (article, actor) => article.SetRecommendations(ids, actor, clock.UtcNow()), cancellationToken,
            check: async article =>
            {
                var sameSite = (await db.Articles.Where(a => a.SiteId == article.SiteId && ids.Contains(a.Id))
                    .Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
                var failures = ids.Select((id, i) => (id, i)).Where(x => !sameSite.Contains(x.id))
                    .Select(x => new ValidationFailure($"articleIds[{x.i}]", $"No article '{x.id}' in this article's site."))
                    .ToList();
                if (failures.Count > 0)
                {
                    throw new ValidationException(failures);
                }
            });
    }
}
