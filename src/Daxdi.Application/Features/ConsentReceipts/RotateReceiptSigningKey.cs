using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentReceipts;

/// <summary>
/// Start signing receipts with a new key: the active key is retired (it stays in the JWKS, so every receipt it signed
/// still verifies) and a new one takes over on every node within <c>Consent:SigningKeyRefreshSeconds</c>, at once on
/// this one.
/// </summary>
/// <remarks>
/// Retryable: two rotations at once both choose the next number; the loser runs again after the winner and rotates
/// once more, so both requests are honoured and only the newest key is active.
/// </remarks>
public sealed record RotateReceiptSigningKey : ICommand<ReceiptKeyRotation>, IRetryableCommand;

/// <summary>The answer of a rotation: the new key and the JWKS that now publishes it.</summary>
public sealed record ReceiptKeyRotation
{
    /// <summary>The id of the key that signs receipts from now on.</summary>
    /// <example>receipt-2</example>
    public required string Kid { get; init; }

    /// <summary>The keys that were active until now and are retired (they keep verifying); empty on a new store.</summary>
    /// <example>["receipt-1"]</example>
    public required IReadOnlyList<string> Retired { get; init; }

    /// <summary>The JWKS as <c>GET /api/v1/consent/jwks.json</c> now serves it, the new key first.</summary>
    public required ReceiptKeySet Jwks { get; init; }
}

public sealed class RotateReceiptSigningKeyHandler(IDaxdiDbContext db, IReceiptKeyFactory keys, TimeProvider clock)
    : ICommandHandler<RotateReceiptSigningKey, ReceiptKeyRotation>
{
    public async ValueTask<ReceiptKeyRotation> Handle(RotateReceiptSigningKey command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var existing = await db.ReceiptSigningKeys.NewestFirst().ToListAsync(cancellationToken);
        var retiring = existing.Where(k => k.IsActive).ToList();
        foreach (var key in retiring)
        {
            key.Retire(now);
        }

        var created = keys.Create(ReceiptKeys.KeyId(existing.Count + 1), now);
        db.ReceiptSigningKeys.Add(created);
        return new ReceiptKeyRotation
        {
            Kid = created.KeyId,
            Retired = [.. retiring.Select(k => k.KeyId)],
            Jwks = ReceiptKeys.Set(existing.Prepend(created).Select(k => k.PublicJwk)),
        };
    }
}
