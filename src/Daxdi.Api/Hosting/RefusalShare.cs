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

    private double _share;

    /// <summary>Between 0 (refuse nothing) and 1 (refuse everything).</summary>
    public double Current => Volatile.Read(ref _share);

    /// <summary>Takes one probe's delay. Called by one probe at a time.</summary>
    public void Observe(TimeSpan delay) =>
        Volatile.Write(ref _share, Math.Clamp(_share + (delay - target).TotalMilliseconds * PerMillisecond, 0, 1));

    /// <summary>Whether to refuse the request now arriving: true for about <see cref="Current"/> of them.</summary>
    public bool Refuses()
    {
        var share = Current;
        return share > 0 && Random.Shared.NextDouble() < share;
    }
}
