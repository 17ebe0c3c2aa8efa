using System.ComponentModel.DataAnnotations;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>Where exchange rates come from.</summary>
public enum RateProviderKind
{
    /// <summary>The fixed table of <c>Bitcoin:Rates</c>.</summary>
    Fixed,

    /// <summary>Kraken's public ticker: <c>GET 0/public/Ticker?pair=XBT{CUR}</c>, the last trade price.</summary>
    Kraken,

    /// <summary>Coinbase's public spot price: <c>GET v2/prices/BTC-{CUR}/spot</c>.</summary>
    Coinbase,
}

/// <summary>Configuration section <c>Bitcoin:RateProvider</c>: a public ticker instead of the fixed table.</summary>
public sealed class RateProviderOptions : HttpSourceOptions
{
    public const string Section = "Bitcoin:RateProvider";

    public RateProviderOptions()
    {
        // A visitor waits for the rate while an intent is created: a few seconds, not the chain monitor's thirty.
        TimeoutSeconds = 8;
        AttemptTimeoutSeconds = 3;
        Retries = 2;
        RetryDelaySeconds = 0.5;
    }

    /// <summary>The source; <see cref="RateProviderKind.Fixed"/> (the table of <c>Bitcoin:Rates</c>) unless set.</summary>
    public RateProviderKind Kind { get; set; } = RateProviderKind.Fixed;

    /// <summary>The ticker's base URL; unset, the provider's public API (<c>https://api.kraken.com</c>, <c>https://api.coinbase.com</c>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long a rate read from the ticker is used again before it is asked anew (its observation time stays the original).</summary>
    [Range(0, 3600)]
    public int CacheSeconds { get; set; } = 60;

    /// <summary><see cref="BaseUrl"/>, or the provider's public API.</summary>
    internal Uri? EffectiveBaseAddress => BaseAddress(string.IsNullOrWhiteSpace(BaseUrl)
        ? Kind switch { RateProviderKind.Kraken => "https://api.kraken.com", RateProviderKind.Coinbase => "https://api.coinbase.com", _ => null }
        : BaseUrl);

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (!Enum.IsDefined(Kind))
        {
            yield return new ValidationResult("must be Fixed, Kraken or Coinbase.", [nameof(Kind)]);
        }
        else if (Kind != RateProviderKind.Fixed && EffectiveBaseAddress is null)
        {
            yield return new ValidationResult("must be an absolute http or https URL without query or fragment.", [nameof(BaseUrl)]);
        }
    }
}
