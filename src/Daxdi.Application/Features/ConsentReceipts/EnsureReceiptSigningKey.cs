using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentReceipts;

/// <summary>
/// Make sure a receipt key is active, creating the first one if none is; answers the active key's id. Sent by the
/// receipt signer when it finds no active key (its first signature on a new store).
/// </summary>
/// <remarks>
/// Retryable: two nodes racing to create the first key both choose <c>receipt-1</c>; the loser's commit fails on the
/// unique index and its second run finds the winner's key.
/// </remarks>
public sealed record EnsureReceiptSigningKey : ICommand<string>, IRetryableCommand;

public sealed class EnsureReceiptSigningKeyHandler(IDaxdiDbContext db, IReceiptKeyFactory keys, TimeProvider clock)
    : ICommandHandler<EnsureReceiptSigningKey, string>
{
    public async ValueTask<string> Handle(EnsureReceiptSigningKey command, CancellationToken cancellationToken)
    {
        // One query, one snapshot: an "is one active?" read and a separate count could straddle another node's commit
        // and create a second active key under the next number (seen on PostgreSQL with four racing creators).
        var existing = await db.ReceiptSigningKeys.AsNoTracking().NewestFirst()
            .Select(k => new { k.KeyId, Active = k.RetiredAt == null }).ToListAsync(cancellationToken);
        if (existing.FirstOrDefault(k => k.Active) is { } active)
        {
            return active.KeyId;
        }

        var count = existing.Count;
        var key = keys.Create(ReceiptKeys.KeyId(count + 1), clock.UtcNow());
        db.ReceiptSigningKeys.Add(key);
        return key.KeyId;
    }
}
