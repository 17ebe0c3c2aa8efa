using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>Read a site's wallet settings and its address gap.</summary>
public sealed record GetWallet(string Site) : IQuery<WalletDto>;

public sealed class GetWalletHandler(IDaxdiDbContext db) : IQueryHandler<GetWallet, WalletDto>
{
    public async ValueTask<WalletDto> Handle(GetWallet query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var wallet = await db.BitcoinWallets.AsNoTracking().FirstOrDefaultAsync(w => w.SiteId == site.Id, cancellationToken)
            ?? throw PaymentErrors.NoWallet(query.Site);
        return WalletDto.From(wallet);
    }
}

/// <summary>Errors more than one payment use case raises.</summary>
public static class PaymentErrors
{
    public static DomainException NoWallet(string site) =>
        DomainException.NotFound("wallet.not_configured", $"Site '{site}' has no Bitcoin wallet; finance sets one with PUT /api/v1/admin/sites/{site}/wallet.");

    public static DomainException NoOffers(string site) =>
        DomainException.NotFound("offers.not_configured", $"Site '{site}' sells nothing yet; finance sets its offers with PUT /api/v1/admin/sites/{site}/offers.");

    public static DomainException IntentNotFound(Guid id) =>
        DomainException.NotFound("payment_intent.not_found", $"No payment intent {id}.");
}
