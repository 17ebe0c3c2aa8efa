using Daxdi.Application.Common;
using Daxdi.Domain.Payments;

namespace Daxdi.Application.Features.Payments;

/// <summary>A site's watch-only Bitcoin wallet: its settings and where its address sequence stands.</summary>
public sealed record WalletDto : IVersioned
{
    /// <summary>The chain the addresses live on.</summary>
    public required BitcoinNetwork Network { get; init; }

    /// <summary>The account-level extended public key, normalised (a zpub is shown as the xpub it converts to).</summary>
    /// <example>tpubDC8msFGeGuwnKG9Upg7DM2b4DaRqg3CUZa5g8v2SRQ6K4NSkxUgd7HsL2XVWbVm39yBA4LAxysQAm397zwQSQoQgewGiYZqrA9DsP4zbQ1M</example>
    public required string ExtendedPublicKey { get; init; }

    /// <summary>Confirmations before an intent succeeds (at least 1: an unconfirmed payment can be replaced).</summary>
    /// <example>1</example>
    public required int RequiredConfirmations { get; init; }

    /// <summary>How long an intent waits for its payment.</summary>
    /// <example>15</example>
    public required int IntentLifetimeMinutes { get; init; }

    /// <summary>How long after expiry its address is still watched for a late payment.</summary>
    /// <example>24</example>
    public required int MonitoringWindowHours { get; init; }

    /// <summary>How much less than the amount still counts as paid, in percent.</summary>
    /// <example>0</example>
    public required decimal UnderpaymentTolerancePercent { get; init; }

    /// <summary>Which key of the wallet this is: 1 for the first, one more each time the key changes.</summary>
    public required int KeyGeneration { get; init; }

    /// <summary>The derivation index the next intent gets (receive chain <c>0/index</c>).</summary>
    public required int NextIndex { get; init; }

    /// <summary>Consecutive addresses of the current key handed out after the last one that received a payment.</summary>
    public required int Gap { get; init; }

    /// <summary>Set when <see cref="Gap"/> is past the gap limit (20) most wallets scan: they will not see later payments.</summary>
    public required string? GapWarning { get; init; }

    public required int Version { get; init; }

    public static WalletDto From(BitcoinWallet w) => new()
    {
        Network = w.Network, ExtendedPublicKey = w.ExtendedPublicKey, RequiredConfirmations = w.RequiredConfirmations,
        IntentLifetimeMinutes = w.IntentLifetimeMinutes, MonitoringWindowHours = w.MonitoringWindowHours,
        UnderpaymentTolerancePercent = w.UnderpaymentTolerancePercent, KeyGeneration = w.KeyGeneration, NextIndex = w.NextIndex,
        Gap = w.Gap, Version = w.Version,
        GapWarning = w.GapLimitExceeded
            ? $"{w.Gap} addresses in a row were handed out without a payment, past the gap limit of {PaymentRules.GapLimit} that "
                + "wallets scan by default: payments to later addresses will not show in such a wallet until its gap limit is raised "
                + "(docs/api/payments.md#the-gap-limit)."
            : null,
    };
}
