using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Common;
using Daxdi.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Holds each site to <see cref="WebhookRules.MaxSubscriptionsPerSite"/> subscriptions as a rule of the commit rather
/// than a check before it: a commit that adds subscriptions takes their site's lock, and counts them in its transaction
/// after the save, so two creates at the limit cannot both commit (409 <c>webhook.limit_reached</c>, nothing saved).
/// </summary>
public sealed class WebhookLimitParticipant(IDaxdiDbContext db) : ICommitParticipant
{
    private Guid[] _sites = [];

    public ValueTask<IEnumerable<Guid>> PrepareAsync(ChangeTracker tracker, CancellationToken cancellationToken)
    {
        _sites = [.. tracker.Entries<WebhookSubscription>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.SiteId).Distinct()];
        return ValueTask.FromResult<IEnumerable<Guid>>(_sites);
    }

    public async Task InTransactionAsync(CancellationToken cancellationToken)
    {
        foreach (var siteId in _sites)
        {
            if (await db.WebhookSubscriptions.CountAsync(s => s.SiteId == siteId, cancellationToken) > WebhookRules.MaxSubscriptionsPerSite)
            {
                throw DomainException.Conflict("webhook.limit_reached",
                    $"The site has {WebhookRules.MaxSubscriptionsPerSite} webhook subscriptions, the most it may have. Delete one first.");
            }
        }
    }

    public Task AfterCommitAsync(CancellationToken cancellationToken)
    {
        _sites = [];
        return Task.CompletedTask;
    }

    public void Discard() => _sites = [];
}
