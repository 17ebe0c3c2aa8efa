using System.ComponentModel.DataAnnotations;
using Daxdi.Application.Security;

namespace Daxdi.Infrastructure.Startup;

/// <summary>Configuration section <c>Bootstrap</c>.</summary>
public sealed class BootstrapOptions : IValidatableObject
{
    public const string Section = "Bootstrap";

    /// <summary>When set and no admin key exists, an admin key with exactly this secret is created at start-up.</summary>
    public string? AdminApiKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdminApiKey is not null && !ApiKeySecret.LooksLikeKey(AdminApiKey))
        {
            yield return new ValidationResult(
                $"must start with '{ApiKeySecret.Marker}' followed by letters and digits only, " +
                $"{ApiKeySecret.MinLength}-{ApiKeySecret.MaxLength} characters in all.",
                [nameof(AdminApiKey)]);
        }
    }
}

/// <summary>Configuration section <c>Seed</c>.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Seed the demo sites (and, later, their content) into a new database.</summary>
    public bool DemoContent { get; set; } = true;
}
