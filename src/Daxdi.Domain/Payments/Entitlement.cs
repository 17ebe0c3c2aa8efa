using Daxdi.Domain.Common;

namespace Daxdi.Domain.Payments;

/// <summary>
/// What a succeeded intent bought: a membership (valid for the plan's duration), an unlocked article (no end), or a
/// donation (no end; a supporter mark a frontend may show). Exactly one per intent, made only by
/// <see cref="PaymentIntent"/> when it succeeds; the store backs that with a unique index on the intent id.
/// </summary>
public sealed class Entitlement : Entity
{
    private Entitlement()
    {
    }

    internal Entitlement(PaymentIntent intent, DateTime now)
        : base(now)
    {
        SiteId = intent.SiteId;
        PaymentIntentId = intent.Id;
        Purpose = intent.Purpose;
        PlanKey = intent.PlanKey;
        ArticleId = intent.ArticleId;
        CustomerReference = intent.CustomerReference;
        ValidFrom = now;
        ValidUntil = intent.PlanDurationDays is { } days ? now.AddDays(days) : null;
    }

    public Guid SiteId { get; private set; }

    public Guid PaymentIntentId { get; private set; }

    public PaymentPurpose Purpose { get; private set; }

    public string? PlanKey { get; private set; }

    public Guid? ArticleId { get; private set; }

    public string? CustomerReference { get; private set; }

    public DateTime ValidFrom { get; private set; }

    /// <summary>Null: no end (article unlocks and donations).</summary>
    public DateTime? ValidUntil { get; private set; }

    public bool IsValidAt(DateTime at) => at >= ValidFrom && (ValidUntil is null || at < ValidUntil);
}
