using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>The wallet settings finance sends (<c>PUT /admin/sites/{site}/wallet</c>).</summary>
public sealed record WalletFields
{
    /// <summary><c>mainnet</c>, <c>testnet</c>, <c>signet</c> or <c>regtest</c>: stored explicitly, because testnet and regtest keys look alike.</summary>
    public required BitcoinNetwork Network { get; init; }

    /// <summary>
    /// The account-level extended public key of a BIP84 (native segwit) account: xpub or zpub on mainnet, tpub or vpub
    /// elsewhere. Never a private key: an xprv or tprv is refused and not kept.
    /// </summary>
    /// <example>vpub5Y6cjg78GGuNLsaPhmYsiw4gYX3HoQiRBiSwDaBXKUafCt9bNwWQiitDk5VZ5BVxYnQdwoTyXSs2JHRPAgjAvtbBrf8ZhDYe2jWAqvZVnsc</example>
    public required string ExtendedPublicKey { get; init; }

    /// <summary>Confirmations before an intent succeeds, 1–144 (default 1; 0-conf is unsafe with replace-by-fee).</summary>
    public int? RequiredConfirmations { get; init; }

    /// <summary>Minutes an intent waits for its payment, 1–1440 (default 15).</summary>
    public int? IntentLifetimeMinutes { get; init; }

    /// <summary>Hours after expiry an address is still watched for late payments, 1–720 (default 24).</summary>
    public int? MonitoringWindowHours { get; init; }

    /// <summary>Percent less than the amount that still counts as paid, 0–50 with two decimals (default 0).</summary>
    public decimal? UnderpaymentTolerancePercent { get; init; }

    /// <summary>
    /// The domain's settings, with the defaults for what was left out and <paramref name="accountKey"/> (what
    /// <see cref="IBitcoinKeys.ParseAccountKey"/> made of <see cref="ExtendedPublicKey"/>) as the key.
    /// </summary>
    public WalletSettings ToSettings(AccountKey accountKey) => new(Network, accountKey.Key)
    {
        RequiredConfirmations = RequiredConfirmations ?? PaymentRules.DefaultRequiredConfirmations,
        IntentLifetimeMinutes = IntentLifetimeMinutes ?? PaymentRules.DefaultIntentLifetimeMinutes,
        MonitoringWindowHours = MonitoringWindowHours ?? PaymentRules.DefaultMonitoringWindowHours,
        UnderpaymentTolerancePercent = UnderpaymentTolerancePercent ?? PaymentRules.DefaultUnderpaymentTolerancePercent,
    };
}

/// <summary>Set a site's wallet: created on the first call; a new key starts a new derivation sequence.</summary>
public sealed record ConfigureWallet(string Site, int? ExpectedVersion, WalletFields Body) : ICommand<WalletDto>;

public sealed class ConfigureWalletValidator : AbstractValidator<ConfigureWallet>
{
    public ConfigureWalletValidator()
    {
        RuleFor(x => x.Body).NotNull();
        RuleFor(x => x.Body.Network).IsInEnum().When(x => x.Body is not null);
        RuleFor(x => x.Body.ExtendedPublicKey).NotEmpty().MaximumLength(PaymentRules.ExtendedPublicKeyMaxLength).When(x => x.Body is not null);
        RuleFor(x => x.Body.RequiredConfirmations)
            .InclusiveBetween(PaymentRules.MinRequiredConfirmations, PaymentRules.MaxRequiredConfirmations).When(x => x.Body is not null);
        RuleFor(x => x.Body.IntentLifetimeMinutes)
            .InclusiveBetween(PaymentRules.MinIntentLifetimeMinutes, PaymentRules.MaxIntentLifetimeMinutes).When(x => x.Body is not null);
        RuleFor(x => x.Body.MonitoringWindowHours)
            .InclusiveBetween(PaymentRules.MinMonitoringWindowHours, PaymentRules.MaxMonitoringWindowHours).When(x => x.Body is not null);
        RuleFor(x => x.Body.UnderpaymentTolerancePercent)
            .InclusiveBetween(0, PaymentRules.MaxUnderpaymentTolerancePercent).PrecisionScale(4, PaymentRules.UnderpaymentToleranceMaxDecimals, true)
            .When(x => x.Body is not null);
    }
}

public sealed class ConfigureWalletHandler(IDaxdiDbContext db, IBitcoinKeys keys, TimeProvider clock) : ICommandHandler<ConfigureWallet, WalletDto>
{
    public async ValueTask<WalletDto> Handle(ConfigureWallet command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var body = command.Body;
        // Parsed and network-checked before anything is kept; a private key is refused without being repeated.
        var key = keys.ParseAccountKey(body.ExtendedPublicKey, body.Network);
        var settings = body.ToSettings(key);
        // Two sites on one key would hand out the same addresses: one payment could then settle two sites' intents.
        if (await db.BitcoinWallets.AnyAsync(w => w.SiteId != site.Id && ((w.Network == body.Network && w.ExtendedPublicKey == key.Key)
            || w.RetiredKeys.Any(k => k.Network == body.Network && k.ExtendedPublicKey == key.Key)), cancellationToken))
        {
            throw DomainException.Conflict("wallet.key_in_use",
                "Another site's wallet uses this extended public key. Give each site an account of its own (a new account in the wallet app, e.g. m/84'/0'/1').");
        }

        var now = clock.UtcNow();
        var wallet = await db.BitcoinWallets.FirstOrDefaultAsync(w => w.SiteId == site.Id, cancellationToken);
        if (wallet is null)
        {
            wallet = new BitcoinWallet(site.Id, settings, now);
            db.BitcoinWallets.Add(wallet);
        }
        else
        {
            wallet.EnsureVersion(command.ExpectedVersion);
            wallet.Configure(settings, now);
        }

        return WalletDto.From(wallet);
    }
}
