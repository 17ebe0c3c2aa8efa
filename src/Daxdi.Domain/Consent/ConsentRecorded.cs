using Daxdi.Domain.Common;

namespace Daxdi.Domain.Consent;

/// <summary>A decision joined its site's chain. Carries no personal data beyond the pseudonymous subject id.</summary>
public sealed record ConsentRecorded(
    Guid SiteId,
    Guid ConsentId,
    string SubjectId,
    int PolicyVersion,
    ConsentDecisionKind Decision,
    IReadOnlyDictionary<string, bool> Effective,
    bool ValidForProcessing,
    DateTime RecordedAt,
    DateTime ExpiresAt) : IDomainEvent;
