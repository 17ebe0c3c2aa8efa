using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>Read an intent with its payments and status history (finance).</summary>
public sealed record GetAdminPaymentIntent(Guid Id) : IQuery<AdminPaymentIntentDto>;

public sealed class GetAdminPaymentIntentHandler(IDaxdiDbContext db, IPaymentUris uris) : IQueryHandler<GetAdminPaymentIntent, AdminPaymentIntentDto>
{
    public async ValueTask<AdminPaymentIntentDto> Handle(GetAdminPaymentIntent query, CancellationToken cancellationToken)
    {
        var intent = await db.PaymentIntents.AsNoTracking().Include(i => i.Payments).Include(i => i.History)
            .FirstOrDefaultAsync(i => i.Id == query.Id, cancellationToken) ?? throw PaymentErrors.IntentNotFound(query.Id);
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == intent.SiteId).Select(s => s.Key).SingleAsync(cancellationToken);
        return AdminPaymentIntentDto.From(intent, site, PaymentLinks.Bip21(uris, site, intent));
    }
}
