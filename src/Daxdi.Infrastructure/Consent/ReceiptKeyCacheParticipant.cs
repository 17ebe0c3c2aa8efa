using Daxdi.Application.Common;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Infrastructure.Consent;

/// <summary>After a commit that stored a new receipt key (a rotation), this node's signer signs with it at once.</summary>
internal sealed class ReceiptKeyCacheParticipant(ReceiptKeyFactory factory, ReceiptSigner signer) : ICommitParticipant
{
    public ValueTask<IEnumerable<Guid>> PrepareAsync(ChangeTracker tracker, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IEnumerable<Guid>>([]);

    public Task InTransactionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AfterCommitAsync(CancellationToken cancellationToken)
    {
        if (factory.Created)
        {
            factory.Created = false;
            signer.Invalidate();
        }

        return Task.CompletedTask;
    }

    public void Discard() => factory.Created = false;
}
