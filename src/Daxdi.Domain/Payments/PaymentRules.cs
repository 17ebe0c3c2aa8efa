namespace Daxdi.Domain.Payments;

/// <summary>Limits and defaults of wallets, offers and payment intents, shared by validation and the store schema.</summary>
public static class PaymentRules
{
    // Wallet

    /// <summary>
    /// BIP44's address gap limit: wallet software that restores from the extended public key stops scanning after 20
    /// unused addresses in a row, so a payment to an address past that gap may not show in the merchant's wallet.
    /// </summary>
    public const int GapLimit = 20;

    public const int DefaultRequiredConfirmations = 1;
    public const int MinRequiredConfirmations = 1;

    /// <summary>A day of blocks; more than this protects against nothing a merchant of articles faces.</summary>
    public const int MaxRequiredConfirmations = 144;

    public const int DefaultIntentLifetimeMinutes = 15;
    public const int MinIntentLifetimeMinutes = 1;
    public const int MaxIntentLifetimeMinutes = 24 * 60;

    public const int DefaultMonitoringWindowHours = 24;
    public const int MinMonitoringWindowHours = 1;
    public const int MaxMonitoringWindowHours = 30 * 24;

    public const decimal DefaultUnderpaymentTolerancePercent = 0m;

    /// <summary>Beyond half the price it stops being a tolerance.</summary>
    public const decimal MaxUnderpaymentTolerancePercent = 50m;

    public const int UnderpaymentToleranceMaxDecimals = 2;

    /// <summary>
    /// A base58 xpub/tpub/zpub/vpub is 111 characters; the rest leaves room for a key origin
    /// (<c>[fingerprint/84'/0'/0']</c>) should Infrastructure normalise to a descriptor-style string.
    /// </summary>
    public const int ExtendedPublicKeyMaxLength = 200;

    /// <summary>BIP173's limit for a bech32 string.</summary>
    public const int AddressMaxLength = 90;

    /// <summary>BIP32 non-hardened indexes are 0 … 2^31 − 1.</summary>
    public const int MaxDerivationIndex = int.MaxValue;

    // Offers

    public const int CurrencyCodeLength = 3;
    public const int PlanKeyMaxLength = 40;
    public const string PlanKeyPattern = Common.SlugRules.Pattern;
    public const int PlanNameMaxLength = 100;
    public const int MaxMembershipPlans = 20;
    public const int MaxPlanDurationDays = 3660;

    /// <summary>
    /// Highest price in minor units (1,000,000.00 in a two-decimal currency). Far above anything a publisher sells, and
    /// keeps every conversion far inside 21 million BTC at any plausible rate.
    /// </summary>
    public const long MaxPriceMinor = 100_000_000;

    // Intents

    public const int CustomerReferenceMaxLength = 200;
    public const int MaxMetadataKeys = 50;
    public const int MetadataKeyMaxLength = 40;
    public const int MetadataValueMaxLength = 500;

    /// <summary>Finance's reason for a manual action.</summary>
    public const int ReasonMaxLength = 500;

    public const int ActorMaxLength = 100;

    /// <summary>
    /// The smallest amount an intent may ask for: Bitcoin Core's dust threshold for a P2WPKH output at the default
    /// dust relay fee (3 sat/vB × 98 vB). Wallets refuse to create a smaller output, so such an intent could never be paid.
    /// </summary>
    public const long MinAmountSats = 294;

    /// <summary>How old an exchange rate may be when an intent locks it, unless configuration says otherwise.</summary>
    public const int DefaultMaxRateAgeMinutes = 10;

    public const int RateSourceMaxLength = 100;

    /// <summary>
    /// Decimals kept of a fiat-per-BTC rate: <see cref="ExchangeRate"/> rounds to this, so the rate stored is exactly
    /// the one the amount was computed with. Store as decimal(<see cref="RatePrecision"/>, <see cref="RateDecimals"/>).
    /// </summary>
    public const int RateDecimals = 8;

    public const int RatePrecision = 20;

    /// <summary>The largest rate decimal(20, 8) holds.</summary>
    public const decimal MaxRate = 999_999_999_999.99999999m;

    /// <summary>A Bitcoin transaction id: 32 bytes as lowercase hex.</summary>
    public const int TxidLength = 64;

    /// <summary>SHA-256 of the client secret.</summary>
    public const int ClientSecretHashLength = 32;
}
