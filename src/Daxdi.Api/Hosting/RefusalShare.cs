namespace Daxdi.Api.Hosting;

/// <summary>
/// The share of new requests to refuse, steered to hold the thread pool's delay near a target: an integral controller
/// on the delay, in the manner of PIE (RFC 8033). A threshold alone lets an overloaded node sit at the threshold, so
/// every request it accepts waits about that long; a threshold low enough to keep that wait short also refuses the
/// bursts of a node that is not full. Here each probe moves the share by how far its delay was over or under the
/// target: a burst raises it a little for a probe or two, a standing queue raises it as far as the overload needs,
/// and it falls back to nothing within tens of milliseconds of the delay coming down.
/// </summary>
public sealed class RefusalShare(TimeSpan target)
{
    // How far one probe moves the share per millisecond of delay over or under the target: a delay 10 ms over it for
    // six probes (about 70 ms) refuses 60 %, what twice the capacity needs. Four times this gain refused 0.6 % at half
    // the capacity for the same p99 at twice it (docs/performance.md, backpressure); the limit on the delay
    // (MaxThreadPoolDelayMilliseconds) refuses everything meanwhile if an overload comes at once.
    private const double PerMillisecond = 1.0 / 100;

    // A share under this refuses nothing. At a twentieth of the capacity, synchronous work items of 10-25 ms (an
    // article body being sanitized, SQLite's statistics) can hold the delay over the target for a few probes on a
    // node of two pool threads: without this floor the 2-minute soak refused 2 and 3 requests (one local run, one CI
    // run), with it none (one local run; docs/performance.md, soak). An overload needs tens of percent.
    private const double Floor = 0.1;

    private double _share;

    /// <summary>Between 0 (refuse nothing) and 1 (refuse everything).</summary>
    public double Current => Volatile.Read(ref _share);

    /// <summary>Takes one probe's delay. Called by one probe at a time.</summary>
    public void Observe(TimeSpan delay) =>
        Volatile.Write(ref _share, Math.Clamp(_share + (delay - target).TotalMilliseconds * PerMillisecond, 0, 1));

    /// <summary>Whether to refuse the request now arriving: true for about <see cref="Current"/> of them, none under 10 %.</summary>
    public bool Refuses()
    {
        var share = Current;
        return share >= Floor && Random.Shared.NextDouble() < share;
    }
}
