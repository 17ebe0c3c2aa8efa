using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Consent;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>The result of verifying a site's chain of consent records.</summary>
public sealed record ConsentChainReport
{
    /// <summary>True when every record is in place, linked and unchanged.</summary>
    public required bool Ok { get; init; }

    /// <summary>Records verified before the first problem (all of them when <see cref="Ok"/>).</summary>
    public required long Checked { get; init; }

    /// <summary>The records the chain's head says it holds.</summary>
    public required long Length { get; init; }

    /// <summary>The head's last hash: what an auditor compares with a copy taken earlier.</summary>
    public required string LastHash { get; init; }

    /// <summary>The first record that does not verify, when one does not.</summary>
    public required ConsentChainFailure? FirstFailure { get; init; }
}

/// <summary>Where a chain stops verifying, and why.</summary>
public sealed record ConsentChainFailure(long Sequence, Guid? ConsentId, string Problem);

/// <summary>Verify a site's chain: every record recomputed and linked, from the first to the head.</summary>
public sealed record VerifyConsentChain(string Site) : IQuery<ConsentChainReport>;

public sealed class VerifyConsentChainHandler(IDaxdiDbContext db) : IQueryHandler<VerifyConsentChain, ConsentChainReport>
{
    public async ValueTask<ConsentChainReport> Handle(VerifyConsentChain query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var head = await db.ConsentChains.AsNoTracking().FirstOrDefaultAsync(c => c.SiteId == site.Id, cancellationToken);
        var length = head?.Length ?? 0;
        var walk = new ConsentChainWalk();
        var result = await WalkAsync(site.Id, length, walk, cancellationToken);
        if (result is null)
        {
            var highest = await db.ConsentRecords.Where(r => r.SiteId == site.Id).MaxAsync(r => (long?)r.Sequence, cancellationToken);
            var lengthNow = await db.ConsentChains.Where(c => c.SiteId == site.Id).Select(c => c.Length).FirstOrDefaultAsync(cancellationToken);
            result = walk.Complete(head, highest, lengthNow);
        }

        return new ConsentChainReport
        {
            Ok = result.Ok, Checked = result.Checked, Length = head?.Length ?? 0, LastHash = head?.LastHash ?? ConsentRecord.GenesisHash,
            FirstFailure = result.Ok ? null : new ConsentChainFailure(result.FailedSequence!.Value, result.FailedRecordId, result.Problem!),
        };
    }

    /// <summary>
    /// Streams the records up to the head read before the walk, untracked, so memory stays flat however long the chain;
    /// the first failure, or null when all of them verify.
    /// </summary>
    private async Task<ConsentChainVerification?> WalkAsync(Guid siteId, long length, ConsentChainWalk walk, CancellationToken cancellationToken)
    {
        var records = db.ConsentRecords.AsNoTracking().Where(r => r.SiteId == siteId && r.Sequence <= length).OrderBy(r => r.Sequence)
            .AsAsyncEnumerable();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (walk.Add(record) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }
}
