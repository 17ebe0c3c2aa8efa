using System.ComponentModel.DataAnnotations;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>Configuration section <c>Bitcoin:Esplora</c>: the Esplora-compatible API the chain monitor polls.</summary>
public sealed class EsploraOptions : HttpSourceOptions
{
    public const string Section = "Bitcoin:Esplora";

    /// <summary>
    /// The API's base URL, up to the routes (e.g. <c>https://blockstream.info/testnet/api</c>, or a node's own electrs
    /// at <c>http://127.0.0.1:3002</c>); unset, no chain source is registered and the chain monitor stays off.
    /// Its chain must be the wallets' network.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// Pages of 25 confirmed transactions read for one address at most. A fresh address per intent has one or two; an
    /// address with more history than this is reported as a failure rather than read without end.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConfirmedPages { get; set; } = 40;

    /// <summary>Whether <see cref="BaseUrl"/> is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl);

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (IsConfigured && BaseAddress(BaseUrl) is null)
        {
            yield return new ValidationResult("must be an absolute http or https URL without query or fragment.", [nameof(BaseUrl)]);
        }
    }
}
