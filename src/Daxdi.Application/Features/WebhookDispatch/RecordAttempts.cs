using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.WebhookDispatch;

/// <summary>How one attempt went.</summary>
/// <param name="ClaimedUntil">The claim it was sent under: a delivery whose claim changed since is another dispatcher's to settle.</param>
/// <param name="StatusCode">The receiver's answer; null when none came.</param>
/// <param name="ResponseBody">The start of the receiver's answer.</param>
/// <param name="Error">Why it failed without an answer (or why the answer counts as a failure), in words.</param>
public sealed record AttemptOutcome(
    Guid DeliveryId, DateTime ClaimedUntil, DateTime StartedAt, int DurationMs, int? StatusCode, string? ResponseBody, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Records attempts in one commit: a <see cref="WebhookAttempt"/> row each, then the delivery succeeded, waiting for
/// its next attempt (<see cref="WebhookRetrySchedule"/>), or failed for good. A delivery that fails for good counts
/// against its subscription, which is disabled after <paramref name="DisableAfterFailures"/> of them in a row; a
/// success ends the run.
/// </summary>
public sealed record RecordAttempts(IReadOnlyList<AttemptOutcome> Outcomes, int DisableAfterFailures) : ICommand;

public sealed class RecordAttemptsHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<RecordAttempts>
{
    /// <summary>Room the disabling reason leaves for the last failure's own words.</summary>
    private const int CauseMaxLength = 300;

    public async ValueTask<Unit> Handle(RecordAttempts command, CancellationToken cancellationToken)
    {
        var ids = command.Outcomes.Select(o => o.DeliveryId).ToList();
        var deliveries = await db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var subscriptionIds = deliveries.Values.Select(d => d.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var now = clock.UtcNow();
        foreach (var outcome in command.Outcomes)
        {
            // Gone with its subscription, which was deleted while the attempt was on its way.
            if (!deliveries.TryGetValue(outcome.DeliveryId, out var delivery) || !subscriptions.TryGetValue(delivery.SubscriptionId, out var subscription))
            {
                continue;
            }

            db.WebhookAttempts.Add(new WebhookAttempt(delivery, delivery.Attempts + 1, outcome.StartedAt, outcome.DurationMs,
                outcome.StatusCode, outcome.ResponseBody, outcome.Error));
            if (delivery.Status != DeliveryStatus.Pending || delivery.ClaimedUntil != outcome.ClaimedUntil)
            {
                continue;
            }

            if (outcome.Succeeded)
            {
                delivery.Succeeded(outcome.StatusCode!.Value, now);
                subscription.RecordSuccess();
            }
            else if (delivery.AttemptFailed(outcome.StatusCode, WebhookRetrySchedule.NextAttemptAt(delivery.Attempts + 1, now), now))
            {
                subscription.RecordFailure(command.DisableAfterFailures, DisablingReason(command.DisableAfterFailures, outcome), now);
            }
        }

        return Unit.Value;
    }

    private static string DisablingReason(int failures, AttemptOutcome last)
    {
        var cause = last.Error ?? $"HTTP {last.StatusCode}";
        if (cause.Length > CauseMaxLength)
        {
            cause = cause[..CauseMaxLength];
        }

        return $"Disabled after {failures} failed deliveries in a row; the last attempt of the last one: {cause}";
    }
}
