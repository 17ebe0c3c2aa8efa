using System.Threading.Channels;
using Daxdi.Application.Common;
using Daxdi.Application.Features.WebhookDispatch;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Webhooks;

/// <summary>
/// The dispatcher: fans outbox events out to deliveries, claims due attempts, sends them (up to
/// <see cref="WebhookOptions.MaxConcurrentAttempts"/> at once) and records how they went, each step a command through
/// the commit pipeline and a batch per commit. It runs when a commit wrote events (<see cref="WebhookDispatchSignal"/>)
/// and every <see cref="WebhookOptions.PollSeconds"/> on the injected <see cref="TimeProvider"/>; every
/// <see cref="PruneInterval"/> it prunes what <see cref="WebhookOptions.RetentionDays"/> no longer keeps. Safe on every
/// node: events and attempts are claimed by conditional updates, so each attempt is sent by one process. Nothing lives
/// only in memory: after a crash, unclaimed work is picked up at start-up and a dead process's claims expire after
/// <see cref="WebhookOptions.ClaimLeaseSeconds"/> (at least once, never lost).
/// </summary>
public sealed partial class WebhookDispatchService(
    IServiceScopeFactory scopes, WebhookSender sender, WebhookDispatchSignal signal, TimeProvider clock,
    IOptions<WebhookOptions> options, ILogger<WebhookDispatchService> logger) : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);
    private const int PruneBatchSize = 500;
    private const int MaxPruneBatches = 200;

    // Pruning deletes in write transactions; back to back they would keep SQLite's write lock from editors.
    private static readonly TimeSpan PauseBetweenPruneBatches = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan RecordRetryDelay = TimeSpan.FromSeconds(1);

    private readonly WebhookOptions _settings = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentAttempts);

    // The recorder and the loop take turns at the store. On SQLite two writers of one process otherwise wait on each
    // other's lock through the driver's busy retries: recording 30 attempts took 87 ms on average, not 5.
    private readonly SemaphoreSlim _store = new(1, 1);
    private readonly Channel<AttemptOutcome> _outcomes = Channel.CreateUnbounded<AttemptOutcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<Task> _inFlight = [];
    private DateTime _nextPrune = DateTime.MinValue;

    public override void Dispose()
    {
        _slots.Dispose();
        _store.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recorder = RecordAsync(stoppingToken);
        var poll = TimeSpan.FromSeconds(_settings.PollSeconds);
        Task? raised = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be briefly unavailable; the next poll tries again and nothing is lost.
                LogFailed(e);
            }

            // A one-shot delay per poll rather than a PeriodicTimer: moved by hours, a test clock fires a periodic timer
            // once per elapsed period (36,000 wake-ups for 10 hours at 1 s), a delay once. The signal's wait outlives a
            // poll, so a raise is never lost.
            raised ??= signal.WaitAsync(stoppingToken);
            using var nextPoll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                if (await Task.WhenAny(Task.Delay(poll, clock, nextPoll.Token), raised) == raised)
                {
                    await raised;
                    raised = null;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            finally
            {
                await nextPoll.CancelAsync();
            }
        }

        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight];
        }

        await Task.WhenAll(running);
        _outcomes.Writer.Complete();
        await recorder;
    }

    /// <summary>Fans out and sends until nothing more is due or every slot is taken, waiting for slots while work remains.</summary>
    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var more = await FanOutAsync(stoppingToken);
            more |= await StartDueAsync(stoppingToken);
            if (clock.UtcNow() >= _nextPrune)
            {
                _nextPrune = clock.UtcNow() + PruneInterval;
                await PruneAsync(stoppingToken);
            }

            if (!more)
            {
                return;
            }

            // Full batches: more is waiting. Go on as soon as an attempt is recorded and its slot is free.
            await _slots.WaitAsync(stoppingToken);
            _slots.Release();
        }
    }

    /// <summary>Fans out one batch of events; true when the batch was full.</summary>
    private Task<bool> FanOutAsync(CancellationToken stoppingToken) => StoreAsync(async mediator =>
    {
        var events = await mediator.Send(new ListUndispatchedEvents(_settings.BatchSize), stoppingToken);
        if (events.Count > 0)
        {
            await mediator.Send(new FanOutEvents(events), stoppingToken);
        }

        return events.Count == _settings.BatchSize;
    }, stoppingToken);

    /// <summary>Claims as many due attempts as there are free slots (at most a batch) and starts them; true when it found as many as it asked for.</summary>
    private async Task<bool> StartDueAsync(CancellationToken stoppingToken)
    {
        var wanted = Math.Min(_slots.CurrentCount, _settings.BatchSize);
        if (wanted == 0)
        {
            return true;
        }

        var (due, requests) = await StoreAsync(async mediator =>
        {
            var due = await mediator.Send(new ListDueDeliveries(wanted), stoppingToken);
            if (due.OfDisabledSubscriptions.Count > 0)
            {
                await mediator.Send(new FailDisabledDeliveries(due.OfDisabledSubscriptions), stoppingToken);
            }

            if (due.ToSend.Count == 0)
            {
                return (due, []);
            }

            var claim = await mediator.Send(new ClaimDeliveries(due.ToSend, TimeSpan.FromSeconds(_settings.ClaimLeaseSeconds)), stoppingToken);
            return (due, claim.Ids.Count == 0 ? [] : await mediator.Send(new GetDeliveryRequests(claim), stoppingToken));
        }, stoppingToken);

        foreach (var request in requests)
        {
            // Only this loop takes slots, and there were at least this many free.
            await _slots.WaitAsync(stoppingToken);
            var attempt = SendAsync(request, stoppingToken);
            lock (_inFlight)
            {
                _inFlight.Add(attempt);
            }

            _ = attempt.ContinueWith(done =>
            {
                lock (_inFlight)
                {
                    _inFlight.Remove(done);
                }
            }, TaskScheduler.Default);
        }

        return due.Count == wanted;
    }

    private async Task SendAsync(DeliveryRequest request, CancellationToken stoppingToken)
    {
        try
        {
            await _outcomes.Writer.WriteAsync(await sender.SendAsync(request, stoppingToken), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the attempt is not recorded, and its claim expires so that it is sent again.
            _slots.Release();
        }
        catch (Exception e)
        {
            LogSendFailed(e, request.DeliveryId);
            _slots.Release();
        }
    }

    /// <summary>Records finished attempts as they come, a batch per commit, then frees their slots.</summary>
    private async Task RecordAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AttemptOutcome>();
        while (await _outcomes.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < _settings.BatchSize && _outcomes.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            while (!await TryRecordAsync(batch) && !stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(RecordRetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Stopping with the store unavailable: these claims expire and the attempts are sent again.
                }
            }

            _slots.Release(batch.Count);
            batch.Clear();
        }
    }

    private async Task<bool> TryRecordAsync(List<AttemptOutcome> batch)
    {
        try
        {
            // Not the stopping token: the attempts were made, and one short commit records them.
            return await StoreAsync(async mediator =>
            {
                await mediator.Send(new RecordAttempts([.. batch], _settings.DisableAfterFailures), CancellationToken.None);
                return true;
            }, CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // An admin changed a subscription of the batch meanwhile (or another node recorded for it): read it again.
            return false;
        }
        catch (Exception e)
        {
            LogRecordFailed(e, batch.Count);
            return false;
        }
    }

    private async Task PruneAsync(CancellationToken stoppingToken)
    {
        var before = clock.UtcNow().AddDays(-_settings.RetentionDays);
        var pruned = 0;
        for (var batches = 0; batches < MaxPruneBatches; batches++)
        {
            var found = await StoreAsync(mediator => mediator.Send(new PruneWebhookHistory(before, PruneBatchSize), stoppingToken).AsTask(), stoppingToken);
            pruned += found;
            if (found < PruneBatchSize)
            {
                break;
            }

            await Task.Delay(PauseBetweenPruneBatches, stoppingToken);
        }

        if (pruned > 0)
        {
            LogPruned(pruned, _settings.RetentionDays);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a scope of its own, in turn with the dispatcher's other store work.</summary>
    private async Task<T> StoreAsync<T>(Func<ISender, Task<T>> work, CancellationToken cancellationToken)
    {
        await _store.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<ISender>());
        }
        finally
        {
            _store.Release();
        }
    }

    [LoggerMessage(LogLevel.Error, "Webhook dispatch failed; retrying on the next poll")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(LogLevel.Error, "Sending webhook delivery {DeliveryId} failed inside the dispatcher; its claim expires and it is sent again")]
    private partial void LogSendFailed(Exception exception, Guid deliveryId);

    [LoggerMessage(LogLevel.Error, "Recording {Count} webhook attempts failed; retrying")]
    private partial void LogRecordFailed(Exception exception, int count);

    [LoggerMessage(LogLevel.Information, "Pruned up to {Count} webhook deliveries and events completed more than {Days} days ago")]
    private partial void LogPruned(int count, int days);
}
