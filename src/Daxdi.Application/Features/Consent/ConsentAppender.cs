using System.Threading.Channels;
using Daxdi.Domain.Consent;

namespace Daxdi.Application.Features.Consent;

/// <summary>
/// Gathers the decisions that arrive together into one commit (a group commit): each request waits until the commit
/// that holds its record is done, then answers. One transaction per decision held the store's write lock for about
/// 1.2 ms each and capped SQLite at about 700 decisions a second (docs/performance.md, consent records).
/// </summary>
public sealed class ConsentAppender
{
    /// <summary>Decisions per commit at most.</summary>
    public const int MaxBatch = 256;

    /// <summary>Decisions waiting at most; beyond it a request waits for room (back-pressure, not an error).</summary>
    private const int Capacity = 10_000;

    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Appends <paramref name="record"/> to its chain; completes once it is committed, with the commit's error if it failed.</summary>
    public async Task AppendAsync(ConsentRecord record, CancellationToken cancellationToken)
    {
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>For the appending loop: the next decisions, as many as have arrived (at least one, waiting for it).</summary>
    public async Task<IReadOnlyList<Pending>> NextBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Pending> { await _pending.Reader.ReadAsync(cancellationToken) };
        while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
        {
            batch.Add(next);
        }

        return batch;
    }

    /// <summary>A decision waiting for its commit.</summary>
    public sealed record Pending(ConsentRecord Record, TaskCompletionSource Committed);
}
