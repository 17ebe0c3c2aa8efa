using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Domain.Payments;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>Why finance acts on an intent by hand: kept in its status history with who did it.</summary>
/// <param name="Reason">At most 500 characters; required to mark an intent settled or failed.</param>
public sealed record PaymentActionFields(string? Reason);

internal static class PaymentActions
{
    /// <summary>The intent, tracked, with what its transitions read and change.</summary>
    public static async Task<PaymentIntent> LoadAsync(IDaxdiDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.PaymentIntents.Include(i => i.Payments).Include(i => i.History).FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
        ?? throw PaymentErrors.IntentNotFound(id);

    /// <summary>The intent as finance reads it after the action; the entitlement a success granted is added to the commit.</summary>
    public static async Task<AdminPaymentIntentDto> AfterAsync(IDaxdiDbContext db, IPaymentUris uris, PaymentIntent intent,
        CancellationToken cancellationToken)
    {
        if (intent.NewEntitlement is { } entitlement)
        {
            db.Entitlements.Add(entitlement);
        }

        var site = await db.Sites.AsNoTracking().Where(s => s.Id == intent.SiteId).Select(s => s.Key).SingleAsync(cancellationToken);
        return AdminPaymentIntentDto.From(intent, site, PaymentLinks.Bip21(uris, site, intent));
    }
}
