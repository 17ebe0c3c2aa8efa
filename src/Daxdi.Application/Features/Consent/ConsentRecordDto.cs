using Daxdi.Domain.Common;
using Daxdi.Domain.Consent;

namespace Daxdi.Application.Features.Consent;

/// <summary>A stored decision as the compliance team sees it: the proof, with its personal fields unless erased.</summary>
public sealed record ConsentRecordDto
{
    public required Guid ConsentId { get; init; }

    public required long Sequence { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }

    /// <summary>Null once erased.</summary>
    public required string? SubjectId { get; init; }

    public required int PolicyVersion { get; init; }

    public required string PolicyHash { get; init; }

    public required ConsentDecisionKind Decision { get; init; }

    public required string? Control { get; init; }

    public required IReadOnlyDictionary<string, bool> Choices { get; init; }

    public required IReadOnlyDictionary<string, bool> Effective { get; init; }

    public required bool ValidForProcessing { get; init; }

    public required IReadOnlyDictionary<string, string> ConsentMode { get; init; }

    public required bool GlobalPrivacyControl { get; init; }

    public required string Language { get; init; }

    /// <summary>Truncated or keyed-hashed, never raw; null once erased or when not kept.</summary>
    public required string? ClientAddress { get; init; }

    public required string? BrowserFamily { get; init; }

    public required string? PageUrl { get; init; }

    /// <summary>SHA-256 over a salt and the personal fields: what the hash covers instead of them.</summary>
    public required string PersonalCommitment { get; init; }

    public required DateTime RecordedAt { get; init; }

    public required DateTime ExpiresAt { get; init; }

    public required DateTime? ErasedAt { get; init; }

    /// <summary>404 <c>consent.subject_not_found</c>: the site holds no decision of this subject (or it was erased).</summary>
    public static DomainException SubjectNotFound(string subjectId, string site) =>
        DomainException.NotFound("consent.subject_not_found", $"No decision of subject '{subjectId}' in site '{site}'.");

    public static ConsentRecordDto Of(ConsentRecord r) => new()
    {
        ConsentId = r.Id, Sequence = r.Sequence, PreviousHash = r.PreviousHash, Hash = r.Hash, SubjectId = r.SubjectId,
        PolicyVersion = r.PolicyVersion, PolicyHash = r.PolicyHash, Decision = r.Decision, Control = r.Control, Choices = r.Choices,
        Effective = r.Effective, ValidForProcessing = r.ValidForProcessing, ConsentMode = r.ConsentMode,
        GlobalPrivacyControl = r.GlobalPrivacyControl, Language = r.Language, ClientAddress = r.ClientAddress,
        BrowserFamily = r.BrowserFamily, PageUrl = r.PageUrl, PersonalCommitment = r.PersonalCommitment, RecordedAt = r.RecordedAt,
        ExpiresAt = r.ExpiresAt, ErasedAt = r.ErasedAt,
    };
}
