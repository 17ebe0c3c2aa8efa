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
        var active = await db.ReceiptSigningKeys.AsNoTracking().Where(k => k.RetiredAt == null).NewestFirst()
            .Select(k => k.KeyId).FirstOrDefaultAsync(cancellationToken);
        if (active is not null)
        {
            return active;
        }

        var count = await db.ReceiptSigningKeys.CountAsync(cancellationToken);
        var key = keys.Create(ReceiptKeys.KeyId(count + 1), clock.UtcNow());
        db.ReceiptSigningKeys.Add(key);
        return key.KeyId;
    }
}
