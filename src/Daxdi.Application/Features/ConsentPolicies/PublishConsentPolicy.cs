using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>
/// Publish a draft: the domain checks the legal rules (422 with their <c>consent_policy.…</c> codes), fixes the hash and
/// decides, against the site's current version, whether earlier decisions must be asked again. The new version becomes
/// the site's current policy. A draft numbered below the current version answers 422 <c>consent_policy.superseded</c>:
/// versions go live in number order, so "current" means the same to every reader.
/// </summary>
public sealed record PublishConsentPolicy(string Site, int Number, int ExpectedVersion) : ICommand<ConsentPolicyDto>;

public sealed class PublishConsentPolicyHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<PublishConsentPolicy, ConsentPolicyDto>
{
    public async ValueTask<ConsentPolicyDto> Handle(PublishConsentPolicy command, CancellationToken cancellationToken)
    {
        var policy = await db.ConsentPolicies.GetInSiteAsync(db.Sites, command.Site, command.Number, cancellationToken);
        policy.EnsureVersion(command.ExpectedVersion);
        var previous = await db.ConsentPolicies.AsNoTracking().CurrentAsync(policy.SiteId, cancellationToken);
        if (!policy.IsPublished && previous is not null && previous.Number > policy.Number)
        {
            throw DomainException.InvalidState("consent_policy.superseded",
                $"Version {previous.Number} is published after this draft was written; create a new version (it will be {previous.Number + 1} or later) instead of publishing {policy.Number}.");
        }

        policy.Publish(previous, user.Actor(), clock.UtcNow());
        return ConsentPolicyDto.From(policy);
    }
}
