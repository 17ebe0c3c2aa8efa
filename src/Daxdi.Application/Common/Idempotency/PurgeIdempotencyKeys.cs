using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Common.Idempotency;

/// <summary>Delete the idempotency keys past their expiry; one statement, safe on several nodes at once.</summary>
public sealed record PurgeIdempotencyKeys : ICommand<int>;

public sealed class PurgeIdempotencyKeysHandler(IDaxdiDbContext db, CommitPipeline commit, TimeProvider clock)
    : ICommandHandler<PurgeIdempotencyKeys, int>
{
    public async ValueTask<int> Handle(PurgeIdempotencyKeys command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var expired = await db.IdempotencyRecords.CountAsync(r => r.ExpiresAt < now, cancellationToken);
        if (expired > 0)
        {
            commit.InTransaction(ct => db.IdempotencyRecords.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(ct));
        }

        return expired;
    }
}
