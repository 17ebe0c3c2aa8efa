namespace Daxdi.Application.Common.Idempotency;

/// <summary>
/// A completed idempotent request: its key (unique per scope), its fingerprint and its response, encrypted at rest
/// because a response may carry a secret shown once (a payment intent's client secret). Kept at least
/// <see cref="IdempotencyRules.MinimumRetention"/>, then purged.
/// </summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord()
    {
    }

    public IdempotencyRecord(IdempotencyRequest request, string protectedResponse, DateTime now, TimeSpan retention)
    {
        Scope = request.Scope;
        Key = request.Key!;
        Fingerprint = request.Fingerprint;
        ProtectedResponse = protectedResponse;
        CreatedAt = now;
        ExpiresAt = now + retention;
    }

    public string Scope { get; private set; } = null!;

    public string Key { get; private set; } = null!;

    public string Fingerprint { get; private set; } = null!;

    /// <summary>The response's JSON, protected with the node's Data Protection key ring.</summary>
    public string ProtectedResponse { get; private set; } = null!;

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }
}

/// <summary>The limits of idempotency keys, used by the behaviour and the store's columns alike.</summary>
public static class IdempotencyRules
{
    /// <summary>The header the key comes in.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>The header a replayed response carries (as Stripe's do).</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Longest key accepted: a UUID fits many times over; Stripe's limit.</summary>
    public const int KeyMaxLength = 255;

    public const int ScopeMaxLength = 200;

    /// <summary>How long a key is kept at the least: a retry a day later still replays.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromHours(24);
}
