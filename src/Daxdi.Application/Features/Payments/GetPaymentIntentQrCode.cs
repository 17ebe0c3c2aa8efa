using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Mediator;

namespace Daxdi.Application.Features.Payments;

/// <summary>The BIP21 QR code of an intent, as SVG; the client secret is required as for the intent itself.</summary>
public sealed record GetPaymentIntentQrCode(string Site, Guid Id, string? ClientSecret) : IQuery<string>;

public sealed class GetPaymentIntentQrCodeHandler(IDaxdiDbContext db, IPaymentUris uris) : IQueryHandler<GetPaymentIntentQrCode, string>
{
    public async ValueTask<string> Handle(GetPaymentIntentQrCode query, CancellationToken cancellationToken)
    {
        var intent = await PaymentIntentReads.WithSecretAsync(db, query.Site, query.Id, query.ClientSecret, cancellationToken);
        return uris.QrCodeSvg(PaymentLinks.Bip21(uris, query.Site, intent));
    }
}
