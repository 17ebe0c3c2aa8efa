using Daxdi.Domain.Common;

namespace Daxdi.Domain.Payments;

/// <summary>Which Bitcoin chain a wallet's addresses live on. Stored explicitly: a tpub alone cannot tell testnet from signet.</summary>
public enum BitcoinNetwork
{
    Mainnet,
    Testnet,
    Signet,
    Regtest,
}

/// <summary>What finance sets for a site's wallet (<c>PUT /admin/sites/{site}/wallet</c>).</summary>
/// <param name="ExtendedPublicKey">The account-level BIP84 key, already parsed, network-checked and normalised by Infrastructure.</param>
public sealed record WalletSettings(BitcoinNetwork Network, string ExtendedPublicKey)
{
    public int RequiredConfirmations { get; init; } = PaymentRules.DefaultRequiredConfirmations;

    public int IntentLifetimeMinutes { get; init; } = PaymentRules.DefaultIntentLifetimeMinutes;

    public int MonitoringWindowHours { get; init; } = PaymentRules.DefaultMonitoringWindowHours;

    public decimal UnderpaymentTolerancePercent { get; init; } = PaymentRules.DefaultUnderpaymentTolerancePercent;
}

/// <summary>
/// One receive address handed out: derive it from <see cref="ExtendedPublicKey"/> at <c>0/<see cref="Index"/></c>
/// (external chain) on <see cref="Network"/>.
/// </summary>
public sealed record AddressSlot(Guid WalletId, BitcoinNetwork Network, string ExtendedPublicKey, int KeyGeneration, int Index);

/// <summary>A key the wallet used before the current one, kept so that taking it up again never reuses one of its addresses.</summary>
public sealed class RetiredWalletKey
{
    private RetiredWalletKey()
    {
    }

    internal RetiredWalletKey(int generation, BitcoinNetwork network, string extendedPublicKey, int nextIndex,
        int? highestUsedIndex, DateTime retiredAt)
    {
        Generation = generation;
        Network = network;
        ExtendedPublicKey = extendedPublicKey;
        NextIndex = nextIndex;
        HighestUsedIndex = highestUsedIndex;
        RetiredAt = retiredAt;
    }

    public int Generation { get; private set; }

    public BitcoinNetwork Network { get; private set; }

    public string ExtendedPublicKey { get; private set; } = null!;

    /// <summary>How many addresses the generation gave out (indexes 0 … NextIndex − 1, or from where it resumed).</summary>
    public int NextIndex { get; private set; }

    public int? HighestUsedIndex { get; private set; }

    public DateTime RetiredAt { get; private set; }
}

/// <summary>
/// A site's watch-only Bitcoin wallet: the extended public key receive addresses are derived from, the derivation
/// counter, and the terms new intents are created under. No private key ever reaches the server.
/// </summary>
/// <remarks>
/// A wallet of its own rather than fields of <c>Site</c>: it has its own ETag for <c>PUT …/wallet</c>, and intent
/// creation bumps its counter without touching the site (whose version is what site edits check). One per site.
/// <para>
/// Changing the key (or the network) starts a new <see cref="KeyGeneration"/> at index 0; intents keep their own
/// address, network and generation, so addresses already given out keep being watched. Going back to a key used
/// before resumes after the last index that key gave out, so no address is ever handed out twice.
/// </para>
/// </remarks>
public sealed class BitcoinWallet : Entity
{
    private readonly List<RetiredWalletKey> _retiredKeys = [];

    private BitcoinWallet()
    {
    }

    public BitcoinWallet(Guid siteId, WalletSettings settings, DateTime now)
        : base(now)
    {
        Validate(settings);
        SiteId = siteId;
        ApplyTerms(settings);
        Network = settings.Network;
        ExtendedPublicKey = settings.ExtendedPublicKey;
        KeyGeneration = 1;
    }

    public Guid SiteId { get; private set; }

    public BitcoinNetwork Network { get; private set; }

    /// <summary>The normalised account-level extended public key (BIP84, native segwit).</summary>
    public string ExtendedPublicKey { get; private set; } = null!;

    /// <summary>1 for the first key; +1 each time the key or the network changes.</summary>
    public int KeyGeneration { get; private set; }

    /// <summary>The derivation index the next intent gets on the current generation.</summary>
    public int NextIndex { get; private set; }

    /// <summary>The highest index of the current key that received a payment, if any.</summary>
    public int? HighestUsedIndex { get; private set; }

    /// <summary>Where the current generation started handing out indexes (0, or later when a key was taken up again).</summary>
    public int GenerationStartIndex { get; private set; }

    public int RequiredConfirmations { get; private set; }

    public int IntentLifetimeMinutes { get; private set; }

    /// <summary>How long after expiry a late payment is still watched for (and reported as paidLate).</summary>
    public int MonitoringWindowHours { get; private set; }

    /// <summary>How far short of the amount a payment may fall and still count as full, in percent (0 … 50, 2 decimals).</summary>
    public decimal UnderpaymentTolerancePercent { get; private set; }

    public IReadOnlyList<RetiredWalletKey> RetiredKeys => _retiredKeys;

    public TimeSpan IntentLifetime => TimeSpan.FromMinutes(IntentLifetimeMinutes);

    public TimeSpan MonitoringWindow => TimeSpan.FromHours(MonitoringWindowHours);

    /// <summary>
    /// How many addresses in a row were given out on the current key since the last one that was paid (BIP44's gap).
    /// Past <see cref="PaymentRules.GapLimit"/>, a wallet restored from the key may not find later payments.
    /// </summary>
    public int Gap => NextIndex - (HighestUsedIndex is { } used ? Math.Max(used + 1, GenerationStartIndex) : GenerationStartIndex);

    /// <summary>Whether <see cref="Gap"/> is past <see cref="PaymentRules.GapLimit"/>: the wallet settings show a warning.</summary>
    public bool GapLimitExceeded => Gap > PaymentRules.GapLimit;

    public WalletSettings Settings => new(Network, ExtendedPublicKey)
    {
        RequiredConfirmations = RequiredConfirmations,
        IntentLifetimeMinutes = IntentLifetimeMinutes,
        MonitoringWindowHours = MonitoringWindowHours,
        UnderpaymentTolerancePercent = UnderpaymentTolerancePercent,
    };

    /// <summary>
    /// Replaces the settings. A different key or network starts a new generation; returns whether it did. Settings
    /// equal to the current ones change nothing (same version).
    /// </summary>
    public bool Configure(WalletSettings settings, DateTime now)
    {
        Validate(settings);
        if (settings == Settings)
        {
            return false;
        }

        var newKey = settings.Network != Network || !string.Equals(settings.ExtendedPublicKey, ExtendedPublicKey, StringComparison.Ordinal);
        if (newKey)
        {
            _retiredKeys.Add(new RetiredWalletKey(KeyGeneration, Network, ExtendedPublicKey, NextIndex, HighestUsedIndex, now));
            var earlier = _retiredKeys
                .Where(k => k.Network == settings.Network && string.Equals(k.ExtendedPublicKey, settings.ExtendedPublicKey, StringComparison.Ordinal))
                .ToList();
            Network = settings.Network;
            ExtendedPublicKey = settings.ExtendedPublicKey;
            KeyGeneration++;
            NextIndex = earlier.Count == 0 ? 0 : earlier.Max(k => k.NextIndex);
            GenerationStartIndex = NextIndex;
            HighestUsedIndex = earlier.Max(k => k.HighestUsedIndex);
        }

        ApplyTerms(settings);
        Touch(now);
        return newKey;
    }

    /// <summary>
    /// Hands out the next derivation index of the current key; indexes are never handed out twice. The version
    /// changes, so two intents created at once cannot both save the same index.
    /// </summary>
    public AddressSlot AllocateAddress(DateTime now)
    {
        if (NextIndex == PaymentRules.MaxDerivationIndex)
        {
            throw DomainException.InvalidState("wallet.key_exhausted",
                "Every address of this extended public key was handed out; configure a new key.");
        }

        var slot = new AddressSlot(Id, Network, ExtendedPublicKey, KeyGeneration, NextIndex);
        NextIndex++;
        Touch(now);
        return slot;
    }

    /// <summary>
    /// Notes that the address at <paramref name="index"/> of <paramref name="generation"/> received a payment, which
    /// closes the gap up to it. Returns false (and changes nothing) for another generation or an index already covered.
    /// </summary>
    public bool MarkAddressUsed(int generation, int index, DateTime now)
    {
        if (generation != KeyGeneration || index >= NextIndex || index < GenerationStartIndex || index <= HighestUsedIndex)
        {
            return false;
        }

        HighestUsedIndex = index;
        Touch(now);
        return true;
    }

    private void ApplyTerms(WalletSettings settings)
    {
        RequiredConfirmations = settings.RequiredConfirmations;
        IntentLifetimeMinutes = settings.IntentLifetimeMinutes;
        MonitoringWindowHours = settings.MonitoringWindowHours;
        UnderpaymentTolerancePercent = settings.UnderpaymentTolerancePercent;
    }

    private static void Validate(WalletSettings s)
    {
        string? problem = null;
        if (string.IsNullOrWhiteSpace(s.ExtendedPublicKey) || s.ExtendedPublicKey.Length > PaymentRules.ExtendedPublicKeyMaxLength
            || s.ExtendedPublicKey.Any(char.IsWhiteSpace))
        {
            problem = $"The extended public key must be 1 to {PaymentRules.ExtendedPublicKeyMaxLength} characters without spaces.";
        }
        else if (!Enum.IsDefined(s.Network))
        {
            problem = "Unknown network.";
        }
        else if (s.RequiredConfirmations is < PaymentRules.MinRequiredConfirmations or > PaymentRules.MaxRequiredConfirmations)
        {
            problem = $"Required confirmations must be {PaymentRules.MinRequiredConfirmations} to {PaymentRules.MaxRequiredConfirmations}.";
        }
        else if (s.IntentLifetimeMinutes is < PaymentRules.MinIntentLifetimeMinutes or > PaymentRules.MaxIntentLifetimeMinutes)
        {
            problem = $"The intent lifetime must be {PaymentRules.MinIntentLifetimeMinutes} to {PaymentRules.MaxIntentLifetimeMinutes} minutes.";
        }
        else if (s.MonitoringWindowHours is < PaymentRules.MinMonitoringWindowHours or > PaymentRules.MaxMonitoringWindowHours)
        {
            problem = $"The monitoring window must be {PaymentRules.MinMonitoringWindowHours} to {PaymentRules.MaxMonitoringWindowHours} hours.";
        }
        else if (s.UnderpaymentTolerancePercent is < 0 or > PaymentRules.MaxUnderpaymentTolerancePercent
            || decimal.Round(s.UnderpaymentTolerancePercent, PaymentRules.UnderpaymentToleranceMaxDecimals) != s.UnderpaymentTolerancePercent)
        {
            problem = $"The underpayment tolerance must be 0 to {PaymentRules.MaxUnderpaymentTolerancePercent} percent "
                + $"with at most {PaymentRules.UnderpaymentToleranceMaxDecimals} decimals.";
        }

        if (problem is not null)
        {
            throw DomainException.Invalid("wallet.invalid_settings", problem);
        }
    }
}
