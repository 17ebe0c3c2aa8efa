using Daxdi.Application.Abstractions;
using Daxdi.Application.Common.Idempotency;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// Runs an <see cref="IIdempotentCommand"/> at most once per key (IETF draft-ietf-httpapi-idempotency-key-header):
/// a missing key is 400; a key already answered replays that answer when the body is the same and is 422 when it is
/// not; a key whose first request still runs is 409. The key's record commits with the command's change
/// (<see cref="IdempotentCommit"/>), and its unique index settles a race between nodes: the request that loses it
/// replays the winner's answer. Other messages pass through.
/// </summary>
public sealed class IdempotencyBehavior<TMessage, TResponse>(
    IDaxdiDbContext db, IdempotencyInFlight inFlight, IdempotentCommit commit, IStoreErrors storeErrors)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IIdempotentCommand { Idempotency: var request })
        {
            return await next(message, cancellationToken);
        }

        EnsureKey(request.Key);
        using var running = inFlight.TryEnter(request) ?? throw DomainException.Conflict("idempotency.request_in_progress",
            "A request with this Idempotency-Key is still being processed. Retry once it has completed.");
        if (await FindAsync(request, cancellationToken) is { } answered)
        {
            return Replay(answered, request);
        }

        commit.Begin(request);
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception e) when (storeErrors.IsUniqueViolation(e))
        {
            // Another node committed this key first; its answer is the one to give.
            var winner = await FindAsync(request, CancellationToken.None);
            if (winner is null)
            {
                throw;
            }

            return Replay(winner, request);
        }
        finally
        {
            commit.End();
        }
    }

    private static void EnsureKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw DomainException.Invalid("idempotency.key_required",
                $"This operation requires an {IdempotencyRules.Header} header: a unique value (a UUID) per operation, sent again unchanged on every retry.");
        }

        if (key.Length > IdempotencyRules.KeyMaxLength || key.Any(c => c is < '!' or > '~'))
        {
            throw DomainException.Invalid("idempotency.key_invalid",
                $"An {IdempotencyRules.Header} is 1 to {IdempotencyRules.KeyMaxLength} visible ASCII characters.");
        }
    }

    private Task<IdempotencyRecord?> FindAsync(IdempotencyRequest request, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == request.Scope && r.Key == request.Key, cancellationToken);

    private TResponse Replay(IdempotencyRecord record, IdempotencyRequest request)
    {
        if (record.Fingerprint != request.Fingerprint)
        {
            throw DomainException.InvalidState("idempotency.key_reused",
                "This Idempotency-Key was used with a different request body. Use a new key for a new operation.");
        }

        commit.MarkReplayed();
        return commit.Read<TResponse>(record);
    }
}
