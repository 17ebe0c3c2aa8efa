using System.Text.Json.Serialization;
using Daxdi.Domain.Consent;

namespace Daxdi.Application.Features.Consent;

/// <summary>
/// What the visitor (and the site) keep as proof of a decision: what was decided, what it amounts to under the policy
/// version shown, where it sits in the site's chain, and a signature (<see cref="Signature"/>) that verifies offline
/// with the published keys.
/// </summary>
public sealed record ConsentReceipt
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid ConsentId { get; init; }

    /// <summary>The visitor's pseudonymous id: the one sent, or a new one the banner should keep.</summary>
    /// <example>sub_4fJd0b6QmT2xk9Zp1cVw3A</example>
    public required string SubjectId { get; init; }

    /// <example>1</example>
    public required int PolicyVersion { get; init; }

    /// <summary>SHA-256 of the policy version's canonical JSON: exactly what the visitor was shown.</summary>
    public required string PolicyHash { get; init; }

    /// <example>custom</example>
    public required ConsentDecisionKind Decision { get; init; }

    /// <example>save</example>
    public required string? Control { get; init; }

    /// <summary>Every category of the policy and whether it is granted.</summary>
    public required IReadOnlyDictionary<string, bool> Effective { get; init; }

    /// <summary>False for an implied decision: it is recorded, but it is not consent (see <see cref="Note"/>).</summary>
    public required bool ValidForProcessing { get; init; }

    /// <summary>The seven Google Consent Mode v2 signals, <c>granted</c> or <c>denied</c>.</summary>
    public required IReadOnlyDictionary<string, string> ConsentMode { get; init; }

    /// <summary>Whether a Global Privacy Control signal refused categories the visitor had granted.</summary>
    public required bool GpcApplied { get; init; }

    /// <summary>Why the decision has the effect it has, when that is not plain (implied, GPC).</summary>
    public required string? Note { get; init; }

    public required DateTime RecordedAt { get; init; }

    /// <summary>When the banner should ask again.</summary>
    public required DateTime ExpiresAt { get; init; }

    /// <summary>The record's position in the site's chain.</summary>
    /// <example>42</example>
    public required long Sequence { get; init; }

    /// <summary>SHA-256 of the record (chained: it covers the previous record's hash).</summary>
    public required string Hash { get; init; }

    /// <summary>
    /// A compact JWS (ES256) whose payload is this receipt without <c>signature</c>; verify it with the keys at
    /// <c>GET /api/v1/consent/jwks.json</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }

    public static ConsentReceipt Of(ConsentRecord record, bool gpcApplied, string? note) => new()
    {
        ConsentId = record.Id, SubjectId = record.SubjectId!, PolicyVersion = record.PolicyVersion, PolicyHash = record.PolicyHash,
        Decision = record.Decision, Control = record.Control, Effective = record.Effective, ValidForProcessing = record.ValidForProcessing,
        ConsentMode = record.ConsentMode, GpcApplied = gpcApplied, Note = note, RecordedAt = record.RecordedAt,
        ExpiresAt = record.ExpiresAt, Sequence = record.Sequence, Hash = record.Hash,
    };
}
