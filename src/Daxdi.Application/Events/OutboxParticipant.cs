using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.WebhookDispatch;
using Daxdi.Domain.Common;
using Daxdi.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Application.Events;

/// <summary>
/// Adds one outbox row per integration event that the commit's aggregates raised, so the events are saved in the
/// change's own transaction: committed together or not at all. Once they are committed it wakes the dispatcher.
/// </summary>
public sealed class OutboxParticipant(IDaxdiDbContext db, IntegrationEvents translation, WebhookDispatchSignal dispatch) : ICommitParticipant
{
    private bool _added;

    public async ValueTask<IEnumerable<Guid>> PrepareAsync(ChangeTracker tracker, CancellationToken cancellationToken)
    {
        List<IDomainEvent>? raised = null;
        foreach (var entry in tracker.Entries<Entity>())
        {
            if (entry.Entity.DomainEvents.Count > 0)
            {
                (raised ??= []).AddRange(entry.Entity.TakeDomainEvents());
            }
        }

        if (raised is null)
        {
            return [];
        }

        // Sites created in this very commit (seeding) are only in the tracker.
        var keys = tracker.Entries<Site>().ToDictionary(e => e.Entity.Id, e => e.Entity.Key);
        var siteIds = raised.Select(IntegrationEvents.SiteOf).OfType<Guid>().Where(id => !keys.ContainsKey(id)).Distinct().ToList();
        if (siteIds.Count > 0)
        {
            foreach (var site in await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id))
                .Select(s => new { s.Id, s.Key }).ToListAsync(cancellationToken))
            {
                keys[site.Id] = site.Key;
            }
        }

        foreach (var domainEvent in raised)
        {
            if (translation.From(domainEvent, keys) is { } outboxEvent)
            {
                db.OutboxEvents.Add(outboxEvent);
                _added = true;
            }
        }

        return [];
    }

    public Task InTransactionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AfterCommitAsync(CancellationToken cancellationToken)
    {
        if (_added)
        {
            dispatch.Raise();
        }

        Discard();
        return Task.CompletedTask;
    }

    public void Discard()
    {
        // The events went with the entities the rolled-back attempt tracked; a new run raises them again.
        _added = false;
    }
}
