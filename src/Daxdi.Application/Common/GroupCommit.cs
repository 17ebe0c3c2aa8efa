using System.Threading.Channels;
using Mediator;

namespace Daxdi.Application.Common;

/// <summary>
/// Gathers the writes that arrive together into one commit (a group commit): a request hands its item over and waits
/// until the commit that holds it is done, then answers. A background loop (<c>GroupCommitService</c>) takes as many
/// items as have arrived and sends them as one batch command through the commit pipeline. On SQLite every commit holds
/// the store's single write lock, so one transaction per request caps a write path at one commit's cost; a batch
/// pays the transaction, the lock and the reads its items share once (docs/performance.md).
/// </summary>
/// <param name="batchCommand">The command that commits a batch; it answers one outcome per item, in their order.</param>
public sealed class GroupCommit<TItem, TResult>(Func<IReadOnlyList<TItem>, ICommand<IReadOnlyList<GroupOutcome<TResult>>>> batchCommand)
    where TItem : notnull
{
    /// <summary>Items per commit at most.</summary>
    public const int MaxBatch = 256;

    /// <summary>Items waiting at most; beyond it a request waits for room (back-pressure, not an error).</summary>
    private const int Capacity = 10_000;

    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Hands <paramref name="item"/> to the next commit; completes once it is committed, with the item's or the commit's error if it failed.</summary>
    public async Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>For the committing loop: the next items, as many as have arrived (at least one, waiting for it).</summary>
    public async Task<IReadOnlyList<Pending>> NextBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Pending> { await _pending.Reader.ReadAsync(cancellationToken) };
        while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
        {
            batch.Add(next);
        }

        return batch;
    }

    /// <summary>The command that commits <paramref name="batch"/>.</summary>
    public ICommand<IReadOnlyList<GroupOutcome<TResult>>> CommandFor(IReadOnlyList<Pending> batch) => batchCommand([.. batch.Select(p => p.Item)]);

    /// <summary>An item waiting for its commit.</summary>
    public sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);
}

/// <summary>
/// What became of one item of a batch: its result once the batch commits, or the error that kept it out of the batch
/// (a domain rule it broke), which its request answers while the rest of the batch commits.
/// </summary>
public sealed record GroupOutcome<TResult>(TResult? Result, Exception? Failure);

/// <summary>Builds <see cref="GroupOutcome{TResult}"/> values.</summary>
public static class GroupOutcome
{
    public static GroupOutcome<TResult> Of<TResult>(TResult result) => new(result, null);

    public static GroupOutcome<TResult> Failed<TResult>(Exception failure) => new(default, failure);
}
