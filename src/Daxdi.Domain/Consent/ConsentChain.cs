using Daxdi.Domain.Common;

namespace Daxdi.Domain.Consent;

/// <summary>
/// The head of a site's chain of consent records: its length and last hash. Appends take the head's row lock (the
/// commit pipeline's site lock, or SQLite's single writer) and bump its version, so two writers never link two records
/// to the same predecessor: a chain cannot fork.
/// </summary>
public sealed class ConsentChain : Entity
{
    private ConsentChain()
    {
    }

    public ConsentChain(Guid siteId, DateTime now)
        : base(now)
    {
        SiteId = siteId;
        LastHash = ConsentRecord.GenesisHash;
    }

    public Guid SiteId { get; private set; }

    /// <summary>How many records the chain holds; the last one's sequence.</summary>
    public long Length { get; private set; }

    public string LastHash { get; private set; } = null!;

    /// <summary>Seals <paramref name="record"/> as the chain's next link.</summary>
    public void Append(ConsentRecord record, DateTime now)
    {
        if (record.SiteId != SiteId)
        {
            throw new ArgumentException("A record joins its own site's chain.", nameof(record));
        }

        record.Seal(Length + 1, LastHash);
        Length++;
        LastHash = record.Hash;
        Touch(now);
    }
}
