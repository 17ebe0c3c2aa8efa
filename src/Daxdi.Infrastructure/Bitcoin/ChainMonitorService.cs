using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Payments;
using Daxdi.Domain.Payments;
using Daxdi.Infrastructure.Leases;
using Daxdi.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>
/// The chain monitor: every <see cref="ChainMonitorOptions.PollSeconds"/> (on the injected <see cref="TimeProvider"/>)
/// it reads the tip height and, for each watched intent (open, or closed within its window), every output paying its
/// address, and sends one <see cref="ApplyChainObservation"/> per intent, so one intent's failure stops none of the
/// others. Intents past their expiry expire even when the chain source is down or not configured.
/// </summary>
/// <remarks>
/// <para>
/// Only the holder of the store lease <see cref="LeaseName"/> polls; the others try to take it at each poll, and one does
/// within <see cref="ChainMonitorOptions.LeaseSeconds"/> after the holder stops. The holder renews it at every poll and
/// during long ones, and gives it back when it stops. With nothing watched, no node takes it and nothing is requested.
/// A node without a chain source only expires intents, without the lease.
/// </para>
/// <para>
/// Nothing is kept in memory: every poll reads the intents from the store and the outputs from the chain whole. A
/// failed read is never taken as "no outputs" (which would mark payments gone): that intent only expires if due, and
/// the next poll reads it again. After three addresses in a row fail, the rest of the poll does expiry only, so a
/// dead server costs one poll a few timeouts, not one per intent.
/// </para>
/// </remarks>
public sealed partial class ChainMonitorService(
    IServiceScopeFactory scopes, StoreLeases leases, TimeProvider clock, IOptions<ChainMonitorOptions> options,
    IOptions<EsploraOptions> esplora, IServiceProvider services, ILogger<ChainMonitorService> logger) : BackgroundService
{
    public const string LeaseName = "bitcoin-chain-monitor";

    private const int MaxConsecutiveAddressFailures = 3;

    private readonly ChainMonitorOptions _settings = options.Value;
    private readonly IChainSource? _chain = services.GetService<IChainSource>();
    private readonly string _holder = StoreLeases.NewHolder("chain-monitor");
    private bool _holding;
    private DateTime _renewedAt;
    private bool _chainDown;
    private long _polls;

    /// <summary>This process's name in the lease (<c>Leases.Holder</c>).</summary>
    public string Holder => _holder;

    /// <summary>Polls finished (done, skipped without the lease, or failed) since start; the next one is then scheduled.</summary>
    public long CompletedPolls => Interlocked.Read(ref _polls);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_chain is null)
        {
            LogNoChainSource();
        }
        else
        {
            LogStarted(HostOf(esplora.Value.BaseUrl), _settings.PollSeconds);
        }

        try
        {
            while (true)
            {
                try
                {
                    await PollAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store may be briefly unavailable; the next poll reads everything again and nothing is lost.
                    LogPollFailed(e, _settings.PollSeconds);
                }

                // A one-shot delay per poll rather than a PeriodicTimer, as in WebhookDispatchService: a test clock moved
                // by hours fires it once. Counted once the delay is registered, so a test that sees the count may move its clock.
                var next = Task.Delay(_settings.PollInterval, clock, stoppingToken);
                Interlocked.Increment(ref _polls);
                try
                {
                    await next;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            await ReleaseAsync();
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var page = await ListAsync(null, now, cancellationToken);
        if (page.Count == 0)
        {
            // Nothing to watch: no lease taken, nothing requested. A lease this node held runs out by itself.
            _holding = false;
            return;
        }

        // Without a chain source there is only expiry, which any number of nodes may run: each command takes its site's
        // lock and the second finds the intent expired. Such a node never takes the lease, so a node missing the
        // setting cannot hold it and keep the chain from being read.
        if (_chain is not null && !await HoldLeaseAsync(cancellationToken))
        {
            return;
        }

        var poll = new PollState { Tip = await TipAsync(cancellationToken) };
        while (true)
        {
            foreach (var intent in page)
            {
                if (_chain is not null && !await KeepLeaseAsync(cancellationToken))
                {
                    return;
                }

                await UpdateAsync(intent, poll, cancellationToken);
            }

            if (page.Count < _settings.BatchSize)
            {
                break;
            }

            page = await ListAsync(page[^1].Id, now, cancellationToken);
        }

        LogPolled(poll.Seen, poll.Changed, poll.Unread);
    }

    private async Task UpdateAsync(WatchedPaymentIntent intent, PollState poll, CancellationToken cancellationToken)
    {
        poll.Seen++;
        try
        {
            var observation = await ObserveAsync(intent, poll, cancellationToken);
            if (observation is null)
            {
                poll.Unread++;
                if (!intent.ExpiryDue(clock.UtcNow()))
                {
                    return;
                }
            }

            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ISender>()
                .Send(new ApplyChainObservation(intent.SiteId, intent.Id, observation), cancellationToken);
            if (result.Changed)
            {
                poll.Changed++;
                LogChanged(intent.Id, result.Status, result.Exception, result.ReceivedSats);
            }

            if (result.Granted)
            {
                LogGranted(intent.Id);
            }

            foreach (var alert in result.Alerts)
            {
                LogAlert(intent.Id, alert);
            }
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || (e is DbUpdateException u && StoreErrors.IsUniqueViolation(u)))
        {
            // Another writer (finance, or a monitor that kept going past its lease) changed the intent first; this
            // commit wrote nothing. The next poll reads what it left.
            LogLostRace(intent.Id);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUpdateFailed(e, intent.Id);
        }
    }

    /// <summary>What the chain shows for the intent's address now; null when it cannot be read this poll.</summary>
    private async Task<ChainObservation?> ObserveAsync(WatchedPaymentIntent intent, PollState poll, CancellationToken cancellationToken)
    {
        if (_chain is null || poll.Tip is null || poll.AddressFailures >= MaxConsecutiveAddressFailures)
        {
            return null;
        }

        try
        {
            var outputs = await _chain.GetAddressOutputsAsync(intent.Address, cancellationToken);
            var highest = outputs.Max(o => o.BlockHeight);
            if (highest > poll.Tip)
            {
                // A block came after the tip was read: read it again rather than count confirmations from a stale tip.
                poll.Tip = await _chain.GetTipHeightAsync(cancellationToken);
                if (highest > poll.Tip)
                {
                    LogInconsistent(intent.Id, highest.Value, poll.Tip.Value);
                    return null;
                }
            }

            poll.AddressFailures = 0;
            return new ChainObservation(poll.Tip.Value, outputs);
        }
        catch (ChainSourceException e)
        {
            poll.AddressFailures++;
            LogAddressFailed(intent.Id, e.Message);
            if (poll.AddressFailures == MaxConsecutiveAddressFailures)
            {
                LogGivingUp(MaxConsecutiveAddressFailures);
            }

            return null;
        }
    }

    private async Task<int?> TipAsync(CancellationToken cancellationToken)
    {
        if (_chain is null)
        {
            return null;
        }

        try
        {
            var tip = await _chain.GetTipHeightAsync(cancellationToken);
            if (_chainDown)
            {
                _chainDown = false;
                LogChainBack(tip);
            }

            return tip;
        }
        catch (ChainSourceException e)
        {
            if (!_chainDown)
            {
                _chainDown = true;
                LogChainDown(e.Message);
            }
            else
            {
                LogChainStillDown(e.Message);
            }

            return null;
        }
    }

    private async Task<IReadOnlyList<WatchedPaymentIntent>> ListAsync(Guid? after, DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new ListWatchedPaymentIntents(after, _settings.BatchSize, now), cancellationToken);
    }

    /// <summary>Takes or renews the lease; false when another node holds it.</summary>
    private async Task<bool> HoldLeaseAsync(CancellationToken cancellationToken)
    {
        var until = await leases.TryAcquireAsync(LeaseName, _holder, _settings.LeaseDuration, cancellationToken);
        if (until is null)
        {
            if (_holding && clock.UtcNow() < _renewedAt + _settings.LeaseDuration)
            {
                // Taken while it should still have been ours: clocks disagree, or the store was set by hand.
                LogLeaseTakenAway();
            }

            _holding = false;
            return false;
        }

        if (!_holding)
        {
            LogLeaseTaken(_holder, _settings.LeaseSeconds);
        }

        _holding = true;
        _renewedAt = clock.UtcNow();
        return true;
    }

    /// <summary>Renews the lease during a long poll, once a third of it has passed; false when it was lost meanwhile.</summary>
    private async Task<bool> KeepLeaseAsync(CancellationToken cancellationToken)
    {
        if (clock.UtcNow() - _renewedAt < _settings.LeaseDuration / 3)
        {
            return true;
        }

        if (await HoldLeaseAsync(cancellationToken))
        {
            return true;
        }

        LogLeaseLostDuringPoll();
        return false;
    }

    private async Task ReleaseAsync()
    {
        if (!_holding)
        {
            return;
        }

        _holding = false;
        try
        {
            // Stopping: a short wait of its own, so another node need not wait for the lease to run out.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await leases.ReleaseAsync(LeaseName, _holder, timeout.Token);
            LogLeaseReleased();
        }
        catch (Exception e)
        {
            LogReleaseFailed(e, _settings.LeaseSeconds);
        }
    }

    /// <summary>The host of the base URL, for the log: a URL may carry credentials or a key in its path.</summary>
    private static string HostOf(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : "?";

    [LoggerMessage(LogLevel.Information, "The chain monitor polls the Esplora API at {Host} every {PollSeconds} s while this node holds its lease")]
    private partial void LogStarted(string host, int pollSeconds);

    [LoggerMessage(LogLevel.Information, "No chain source is configured (Bitcoin:Esplora:BaseUrl): payments are not detected; intents past their expiry still expire")]
    private partial void LogNoChainSource();

    [LoggerMessage(LogLevel.Information, "Took the chain monitor lease as {Holder} ({LeaseSeconds} s, renewed at every poll)")]
    private partial void LogLeaseTaken(string holder, int leaseSeconds);

    [LoggerMessage(LogLevel.Warning, "Another node took the chain monitor lease before it ran out; check that the nodes' clocks agree")]
    private partial void LogLeaseTakenAway();

    [LoggerMessage(LogLevel.Warning, "The chain monitor lost its lease during a poll and stops the poll; the new holder reads every intent again")]
    private partial void LogLeaseLostDuringPoll();

    [LoggerMessage(LogLevel.Information, "Released the chain monitor lease")]
    private partial void LogLeaseReleased();

    [LoggerMessage(LogLevel.Warning, "Releasing the chain monitor lease failed; another node takes it once it runs out (at most {LeaseSeconds} s)")]
    private partial void LogReleaseFailed(Exception exception, int leaseSeconds);

    [LoggerMessage(LogLevel.Warning, "The chain source is unavailable ({Reason}); intents past their expiry still expire, payments are read when it answers again")]
    private partial void LogChainDown(string reason);

    [LoggerMessage(LogLevel.Debug, "The chain source is still unavailable ({Reason})")]
    private partial void LogChainStillDown(string reason);

    [LoggerMessage(LogLevel.Information, "The chain source answers again (tip {TipHeight})")]
    private partial void LogChainBack(int tipHeight);

    [LoggerMessage(LogLevel.Warning, "Reading the address of payment intent {PaymentIntentId} failed ({Reason}); it is read again at the next poll")]
    private partial void LogAddressFailed(Guid paymentIntentId, string reason);

    [LoggerMessage(LogLevel.Warning, "{Count} addresses in a row could not be read; the rest of this poll only expires what is due")]
    private partial void LogGivingUp(int count);

    [LoggerMessage(LogLevel.Warning, "The chain source lists a payment of intent {PaymentIntentId} at height {Height}, above its tip {TipHeight}; the intent is read again at the next poll")]
    private partial void LogInconsistent(Guid paymentIntentId, int height, int tipHeight);

    [LoggerMessage(LogLevel.Information, "Payment intent {PaymentIntentId}: {Status} ({Exception}), {ReceivedSats} sats received")]
    private partial void LogChanged(Guid paymentIntentId, PaymentStatus status, PaymentExceptionStatus exception, long receivedSats);

    [LoggerMessage(LogLevel.Information, "Payment intent {PaymentIntentId} succeeded: its entitlement is granted")]
    private partial void LogGranted(Guid paymentIntentId);

    [LoggerMessage(LogLevel.Warning, "Payment intent {PaymentIntentId}: alert {Alert}; finance should look at it")]
    private partial void LogAlert(Guid paymentIntentId, PaymentAlertReason alert);

    [LoggerMessage(LogLevel.Information, "Payment intent {PaymentIntentId} was changed by another writer first; the next poll reads it again")]
    private partial void LogLostRace(Guid paymentIntentId);

    [LoggerMessage(LogLevel.Error, "Updating payment intent {PaymentIntentId} from the chain failed; the next poll tries again")]
    private partial void LogUpdateFailed(Exception exception, Guid paymentIntentId);

    [LoggerMessage(LogLevel.Error, "The chain monitor's poll failed; the next one, in {PollSeconds} s, reads everything again")]
    private partial void LogPollFailed(Exception exception, int pollSeconds);

    [LoggerMessage(LogLevel.Debug, "Chain monitor poll: {Seen} watched intent(s), {Changed} changed, {Unread} not read from the chain")]
    private partial void LogPolled(int seen, int changed, int unread);

    private sealed class PollState
    {
        public int? Tip { get; set; }

        public int AddressFailures { get; set; }

        public int Seen { get; set; }

        public int Changed { get; set; }

        public int Unread { get; set; }
    }
}
