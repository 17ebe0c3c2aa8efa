using System.Security.Cryptography;
using Daxdi.Domain.Common;

namespace Daxdi.Domain.Consent;

/// <summary>
/// One decision of one visitor, as proof (GDPR Art. 7(1)): append-only, chained by hash to the record before it in
/// its site's chain (<see cref="ConsentChain"/>), and never changed afterwards except by erasure of its personal fields.
/// </summary>
/// <remarks>
/// The hash covers a commitment to the personal fields (subject id, client address, browser family, page URL), not
/// the fields: SHA-256 of a random salt kept with the record and the fields' canonical JSON. Erasure deletes the fields
/// and the salt, so the chain still verifies while nothing of the person can be recovered or guessed from it
/// (docs/adr/0012-consent-proof-chain.md).
/// </remarks>
public sealed class ConsentRecord : Entity
{
    /// <summary>The previous hash of a chain's first record.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private ConsentRecord()
    {
    }

    private ConsentRecord(Guid siteId, ConsentPolicy policy, ConsentChoice choice, ConsentOutcome outcome, string subjectId,
        ConsentContext context, DateTime now)
        : base(now)
    {
        SiteId = siteId;
        SubjectId = subjectId;
        PolicyId = policy.Id;
        PolicyVersion = policy.Number;
        PolicyHash = policy.ContentHash;
        Decision = choice.Decision;
        Control = choice.Control;
        Choices = new SortedDictionary<string, bool>(choice.Categories.ToDictionary(), StringComparer.Ordinal);
        Effective = new SortedDictionary<string, bool>(outcome.Effective.ToDictionary(), StringComparer.Ordinal);
        ValidForProcessing = outcome.ValidForProcessing;
        ExpiresAt = outcome.ExpiresAt;
        ConsentMode = new SortedDictionary<string, string>(outcome.ConsentMode.ToDictionary(), StringComparer.Ordinal);
        GlobalPrivacyControl = choice.GlobalPrivacyControl;
        Language = context.Language;
        ClientAddress = context.ClientAddress;
        BrowserFamily = context.BrowserFamily;
        PageUrl = context.PageUrl;
        PersonalSalt = RandomNumberGenerator.GetBytes(32);
        PersonalCommitment = Commit(PersonalSalt, SubjectId, ClientAddress, BrowserFamily, PageUrl);
    }

    public Guid SiteId { get; private set; }

    /// <summary>Position in the site's chain: 1, 2, 3 … without gaps.</summary>
    public long Sequence { get; private set; }

    public string PreviousHash { get; private set; } = null!;

    /// <summary>SHA-256 of <see cref="HashInput"/>: what the next record's <see cref="PreviousHash"/> repeats.</summary>
    public string Hash { get; private set; } = null!;

    /// <summary>The visitor's pseudonymous id (personal data); null once erased.</summary>
    public string? SubjectId { get; private set; }

    public Guid PolicyId { get; private set; }

    public int PolicyVersion { get; private set; }

    public string PolicyHash { get; private set; } = null!;

    public ConsentDecisionKind Decision { get; private set; }

    public string? Control { get; private set; }

    /// <summary>The categories as the visitor sent them.</summary>
    public IReadOnlyDictionary<string, bool> Choices { get; private set; } = null!;

    /// <summary>Every category of the policy and whether it is granted, after the policy's rules and GPC.</summary>
    public IReadOnlyDictionary<string, bool> Effective { get; private set; } = null!;

    public bool ValidForProcessing { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public IReadOnlyDictionary<string, string> ConsentMode { get; private set; } = null!;

    public bool GlobalPrivacyControl { get; private set; }

    public string Language { get; private set; } = null!;

    /// <summary>The client's address, truncated or keyed-hashed, never raw (personal data); null once erased.</summary>
    public string? ClientAddress { get; private set; }

    /// <summary>The browser family, not the user agent (personal data); null once erased.</summary>
    public string? BrowserFamily { get; private set; }

    /// <summary>The page the banner was on (personal data: a URL can identify); null once erased.</summary>
    public string? PageUrl { get; private set; }

    /// <summary>The random salt of <see cref="PersonalCommitment"/>; deleted by erasure.</summary>
    public byte[]? PersonalSalt { get; private set; }

    public string PersonalCommitment { get; private set; } = null!;

    public DateTime? ErasedAt { get; private set; }

    public DateTime RecordedAt => CreatedAt;

    public bool IsErased => ErasedAt is not null;

    /// <summary>A record of the decision, not yet in a chain: <see cref="ConsentChain.Append"/> seals it.</summary>
    public static ConsentRecord Create(Guid siteId, ConsentPolicy policy, ConsentChoice choice, ConsentOutcome outcome, string subjectId,
        ConsentContext context, DateTime now)
    {
        if (!policy.IsPublished || policy.SiteId != siteId)
        {
            throw new ArgumentException("Decisions are recorded against a published version of the site's policy.", nameof(policy));
        }

        return new ConsentRecord(siteId, policy, choice, outcome, subjectId, context, now);
    }

    /// <summary>
    /// Erases the personal fields irreversibly (GDPR Art. 17): fields and salt go, the commitment and the proof stay,
    /// so the chain verifies and counts of decisions are unchanged. Erasing twice changes nothing.
    /// </summary>
    public void Erase(DateTime now)
    {
        if (IsErased)
        {
            return;
        }

        SubjectId = null;
        ClientAddress = null;
        BrowserFamily = null;
        PageUrl = null;
        PersonalSalt = null;
        ErasedAt = now;
    }

    /// <summary>Whether the stored personal fields are those the record committed to (erased records: nothing to compare).</summary>
    public bool PersonalFieldsMatch() =>
        IsErased || (PersonalSalt is not null && Commit(PersonalSalt, SubjectId, ClientAddress, BrowserFamily, PageUrl) == PersonalCommitment);

    /// <summary>The canonical JSON that <see cref="Hash"/> is the SHA-256 of; what an auditor recomputes.</summary>
    public byte[] HashInput() => CanonicalJson.Serialize(new
    {
        sequence = Sequence,
        previousHash = PreviousHash,
        id = Id,
        siteId = SiteId,
        recordedAt = Timestamp(RecordedAt),
        policyVersion = PolicyVersion,
        policyHash = PolicyHash,
        decision = Decision,
        control = Control,
        choices = Choices,
        effective = Effective,
        validForProcessing = ValidForProcessing,
        expiresAt = Timestamp(ExpiresAt),
        consentMode = ConsentMode,
        globalPrivacyControl = GlobalPrivacyControl,
        language = Language,
        personalCommitment = PersonalCommitment,
    });

    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(HashInput()));

    /// <summary>Links the record after <paramref name="previousHash"/>; a retried commit links it again, after the head it then reads.</summary>
    internal void Seal(long sequence, string previousHash)
    {
        TakeDomainEvents();
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = ComputeHash();
        Raise(new ConsentRecorded(SiteId, Id, SubjectId!, PolicyVersion, Decision, Effective, ValidForProcessing, RecordedAt, ExpiresAt));
    }

    /// <summary>UTC to the millisecond, as the clock gives it (stores differ in sub-millisecond precision and in the kind they return).</summary>
    public static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Commit(byte[] salt, string? subjectId, string? clientAddress, string? browserFamily, string? pageUrl) =>
        Convert.ToHexStringLower(SHA256.HashData([.. salt, .. CanonicalJson.Serialize(new { subjectId, clientAddress, browserFamily, pageUrl })]));
}

/// <summary>What the server knows about the request a decision came in: language and the personal fields it keeps.</summary>
public sealed record ConsentContext(string Language, string? ClientAddress, string? BrowserFamily, string? PageUrl);
