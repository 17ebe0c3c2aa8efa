using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>
/// An intent as its frontend polls it, with the client secret from its creation. Without the secret, or with a wrong
/// one, the intent does not exist (404), so its id alone reveals nothing.
/// </summary>
public sealed record GetPaymentIntent(string Site, Guid Id, string? ClientSecret) : IQuery<PaymentIntentDto>;

public sealed class GetPaymentIntentHandler(IDaxdiDbContext db, IPaymentUris uris) : IQueryHandler<GetPaymentIntent, PaymentIntentDto>
{
    public async ValueTask<PaymentIntentDto> Handle(GetPaymentIntent query, CancellationToken cancellationToken)
    {
        var intent = await PaymentIntentReads.WithSecretAsync(db, query.Site, query.Id, query.ClientSecret, cancellationToken);
        return PaymentIntentDto.From(intent, PaymentLinks.Bip21(uris, query.Site, intent));
    }
}

internal static class PaymentIntentReads
{
    public static async Task<PaymentIntent> WithSecretAsync(IDaxdiDbContext db, string siteKey, Guid id, string? secret,
        CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(siteKey, cancellationToken);
        var intent = await db.PaymentIntents.AsNoTracking().Include(i => i.Payments)
            .FirstOrDefaultAsync(i => i.Id == id && i.SiteId == site.Id, cancellationToken);
        // The same answer for an unknown id and a wrong secret; the secret is compared in constant time.
        return intent is not null && intent.SecretMatches(secret) ? intent : throw PaymentErrors.IntentNotFound(id);
    }
}
