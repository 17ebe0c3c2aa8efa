using System.Threading.Channels;

namespace Daxdi.Application.Features.WebhookDispatch;

/// <summary>
/// Wakes the dispatcher after a commit wrote outbox events, so a delivery usually leaves within milliseconds rather
/// than at the next poll. Raises that come while the dispatcher is busy fold into one wake-up.
/// </summary>
public sealed class WebhookDispatchSignal
{
    private readonly Channel<bool> _raised = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Call after the commit, so the dispatcher cannot look before the events are visible.</summary>
    public void Raise() => _raised.Writer.TryWrite(true);

    /// <summary>Completes when raised (at once if it was raised since the last wait).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) => await _raised.Reader.ReadAsync(cancellationToken);
}
