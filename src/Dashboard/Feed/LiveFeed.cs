using System.Threading.Channels;
using GridGov.Realtime.Dashboard.Hosting;
using GridGov.Realtime.Dashboard.Hubs;
using GridGov.Realtime.Grains.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Dashboard.Feed;

/// <summary>
/// The SignalR side of <see cref="ILiveFeed"/>. Grain calls only touch memory and return: positions go into
/// a per-scope buffer that keeps the latest fix per worker, other updates into a bounded queue. One background
/// loop sends, through the hub context, to the groups of the update's scopes that have subscribers (plus the
/// whole-system scope ""); a timer on <see cref="TimeProvider"/> asks it to flush positions every
/// <see cref="DashboardOptions.PositionInterval"/>. Nothing is kept for scopes nobody watches, and a slow
/// scope makes its own messages drop (counted), never the grains or other scopes wait.
/// </summary>
public sealed partial class LiveFeed : ILiveFeed, IHostedService, IAsyncDisposable
{
    private const string WholeSystem = "";
    private static readonly object FlushSignal = new();

    private readonly IHubContext<CommandCentreHub, ICommandCentreClient> _hub;
    private readonly FeedSubscriptions _subscriptions;
    private readonly DashboardMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveFeed> _logger;
    private readonly DashboardOptions _options;
    private readonly Channel<object> _queue;
    private readonly Lock _positionsGate = new();
    private Dictionary<string, Dictionary<string, WorkerPositionUpdate>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal); // scope → sends not completed; under _inFlight
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private Task? _loop;
    private int _flushRequested;

    public LiveFeed(
        IHubContext<CommandCentreHub, ICommandCentreClient> hub,
        FeedSubscriptions subscriptions,
        DashboardMetrics metrics,
        IOptions<DashboardOptions> options,
        TimeProvider time,
        ILogger<LiveFeed> logger)
    {
        _hub = hub;
        _subscriptions = subscriptions;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(_options.MaxQueuedUpdates)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // never waited on: TryWrite fails and the update is dropped
        });
    }

    public void PositionChanged(WorkerPositionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var buffered = false;
        lock (_positionsGate)
        {
            foreach (var scope in Watched(update.Scopes))
            {
                if (!_pending.TryGetValue(scope, out var workers)) _pending[scope] = workers = new(StringComparer.Ordinal);
                if (workers.ContainsKey(update.WorkerId)) _metrics.Coalesced();
                else if (workers.Count >= _options.MaxPendingPositionsPerScope) { _metrics.Dropped("scope_buffer_full"); continue; }
                workers[update.WorkerId] = update;
                buffered = true;
            }
        }
        // The timer only wakes the loop when something is waiting, so an idle feed costs nothing.
        if (buffered) Volatile.Write(ref _positionsWaiting, 1);
    }

    private int _positionsWaiting;

    /// <summary>Scopes with fixes waiting for the next batch (for tests and diagnostics).</summary>
    internal int PendingScopeCount
    {
        get { lock (_positionsGate) return _pending.Count; }
    }

    public void WorkerStatusChanged(WorkerStatusUpdate update) => Enqueue(update, update.Scopes);

    public void GridTransition(GridTransitionUpdate update) => Enqueue(update, update.Scopes);

    public void AlertChanged(AlertUpdate update) => Enqueue(update, update.Scopes);

    public void CountersChanged(RegionCountersUpdate update) => Enqueue(update, update.Scopes);

    /// <summary>
    /// To the region's scope and its ancestors, not to responders' own connections: command centres supervise
    /// whether escalations are taken and see them climb, and responders are reached reliably over MQTT (QoS 1,
    /// persistent sessions), which SignalR cannot promise to a phone that is offline.
    /// </summary>
    public void EscalationChanged(EscalationUpdate update) => Enqueue(update, update.Scopes);

    public void CaseChanged(CaseUpdate update) => Enqueue(update, update.Scopes);

    public void CaseEscalated(CaseEscalationUpdate update) => Enqueue(update, update.Scopes);

    /// <summary>Sent promptly like alerts, but also to watched scopes below the region (see <see cref="WarningTargets"/>).</summary>
    public void WarningChanged(WarningUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!WarningTargets(update).Any()) return;
        if (!_queue.Writer.TryWrite(update)) _metrics.Dropped("queue_full");
    }

    /// <summary>
    /// A warning applies to its region and every region below: the watched scopes among the region and its
    /// ancestors (and the whole system), plus every watched scope whose code starts with the region's
    /// subtree prefix (its descendants), each once.
    /// </summary>
    private IEnumerable<string> WarningTargets(WarningUpdate update)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in Watched(update.Scopes))
        {
            if (seen.Add(scope)) yield return scope;
        }
        if (update.SubtreePrefix.Length == 0) yield break;
        foreach (var scope in _subscriptions.ScopesStartingWith(update.SubtreePrefix))
        {
            if (seen.Add(scope)) yield return scope;
        }
    }

    private void Enqueue(object update, IReadOnlyList<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!Watched(scopes).Any()) return; // nobody listens: keep nothing
        if (!_queue.Writer.TryWrite(update)) _metrics.Dropped("queue_full");
    }

    /// <summary>The update's scopes that have subscribers, and the whole-system scope when it has any.</summary>
    private IEnumerable<string> Watched(IReadOnlyList<string> scopes)
    {
        var wholeSystemListed = false;
        for (var i = 0; i < scopes.Count; i++)
        {
            var scope = scopes[i];
            if (scope.Length == 0) wholeSystemListed = true;
            if (_subscriptions.HasSubscribers(scope)) yield return scope;
        }
        if (!wholeSystemListed && _subscriptions.HasSubscribers(WholeSystem)) yield return WholeSystem;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(RunAsync, CancellationToken.None);
        _timer ??= _time.CreateTimer(static s => ((LiveFeed)s!).OnTimer(), this, _options.PositionInterval, _options.PositionInterval);
        return Task.CompletedTask;
    }

    private void OnTimer()
    {
        if (Interlocked.Exchange(ref _positionsWaiting, 0) == 0) return;
        Volatile.Write(ref _flushRequested, 1);
        _queue.Writer.TryWrite(FlushSignal); // a full queue is drained first; the flag makes the loop flush then
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                while (reader.TryRead(out var item))
                {
                    SendPrompt(item);
                    if (Interlocked.Exchange(ref _flushRequested, 0) == 1) FlushPositions();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private void SendPrompt(object item)
    {
        switch (item)
        {
            case WorkerStatusUpdate u:
                foreach (var scope in Watched(u.Scopes)) Send(scope, static (c, s, u) => c.WorkerStatus(WorkerStatusMessage.From(s, u)), u);
                break;
            case GridTransitionUpdate u:
                foreach (var scope in Watched(u.Scopes)) Send(scope, static (c, s, u) => c.GridTransition(GridTransitionMessage.From(s, u)), u);
                break;
            case AlertUpdate u:
                foreach (var scope in Watched(u.Scopes)) Send(scope, static (c, s, u) => c.Alert(AlertMessage.From(s, u)), u);
                break;
            case WarningUpdate u:
                foreach (var scope in WarningTargets(u)) Send(scope, static (c, s, u) => c.Warning(WarningMessage.From(s, u)), u);
                break;
            case EscalationUpdate u:
                foreach (var scope in Watched(u.Scopes)) Send(scope, static (c, s, u) => c.Escalation(EscalationMessage.From(s, u)), u);
                break;
            case RegionCountersUpdate u:
                foreach (var scope in Watched(u.Scopes)) Send(scope, static (c, s, u) => c.Counters(CountersMessage.From(s, u)), u);
                break;
            case CaseUpdate u:
                foreach (var scope in Watched(u.Scopes)) Send(scope, static (c, s, u) => c.CaseUpdated(CaseUpdateMessage.From(s, u)), u);
                break;
            case CaseEscalationUpdate u:
                foreach (var scope in Watched(u.Scopes)) Send(scope, static (c, s, u) => c.CaseEscalated(CaseEscalationMessage.From(s, u)), u);
                break;
        }
    }

    private void FlushPositions()
    {
        List<(string Scope, Dictionary<string, WorkerPositionUpdate> Workers)> ready = [];
        lock (_positionsGate)
        {
            var keep = new Dictionary<string, Dictionary<string, WorkerPositionUpdate>>(StringComparer.Ordinal);
            foreach (var (scope, workers) in _pending)
            {
                if (!_subscriptions.HasSubscribers(scope)) continue; // unsubscribed since: forget
                if (IsSaturated(scope)) keep[scope] = workers; // slow clients: keep coalescing until they drain
                else ready.Add((scope, workers));
            }
            _pending = keep;
            if (keep.Count > 0) Volatile.Write(ref _positionsWaiting, 1);
        }
        foreach (var (scope, workers) in ready)
        {
            var batch = new PositionBatch(scope, [.. workers.Values.Select(WorkerPosition.From)]);
            if (Send(scope, static (c, _, b) => c.Positions(b), batch)) _metrics.BatchSent(batch.Positions.Count);
        }
    }

    private bool IsSaturated(string scope)
    {
        lock (_inFlight) return _inFlight.GetValueOrDefault(scope) >= _options.MaxInFlightSendsPerScope;
    }

    /// <summary>Starts a send to one scope's group without waiting for it; false (and counted) when the scope is saturated.</summary>
    private bool Send<T>(string scope, Func<ICommandCentreClient, string, T, Task> send, T payload)
    {
        lock (_inFlight)
        {
            var count = _inFlight.GetValueOrDefault(scope);
            if (count >= _options.MaxInFlightSendsPerScope)
            {
                _metrics.Dropped("slow_clients");
                return false;
            }
            _inFlight[scope] = count + 1;
        }
        Task task;
        try
        {
            task = send(_hub.Clients.Group(FeedSubscriptions.GroupName(scope)), scope, payload);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }
        if (payload is not PositionBatch) _metrics.MessageSent();
        if (task.IsCompleted) Completed(task, scope);
        else task.ContinueWith(static (t, state) => { var (feed, scope) = ((LiveFeed, string))state!; feed.Completed(t, scope); },
            (this, scope), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    private void Completed(Task task, string scope)
    {
        lock (_inFlight)
        {
            var left = _inFlight[scope] - 1;
            if (left == 0) _inFlight.Remove(scope);
            else _inFlight[scope] = left;
        }
        if (task.Exception is { } ex) LogSendFailed(_logger, scope, ex.InnerException ?? ex);
    }

    /// <summary>
    /// Stops the loop. The host's stop and the container's dispose can run at the same time, so both
    /// wait on one shared stopping task, and the token source is disposed only after it has finished.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var stopping = new Lazy<Task>(StopCoreAsync);
        var winner = Interlocked.CompareExchange(ref _stop, stopping, null) ?? stopping;
        try
        {
            await winner.Value.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout passed: the loop has been told to stop and ends on its own; the host's stop
            // must not fail (and skip the services after this one) for it.
            LogStopNotAwaited(_logger);
        }
    }

    private async Task StopCoreAsync()
    {
        if (_timer is not null) await _timer.DisposeAsync();
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Stops the loop; safe to call more than once and alongside StopAsync.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _stopping.Dispose();
    }

    private Lazy<Task>? _stop;
    private int _disposed;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed stop not awaited: the host's shutdown timeout passed first")]
    private static partial void LogStopNotAwaited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending to command centres of scope '{Scope}' failed")]
    private static partial void LogSendFailed(ILogger logger, string scope, Exception exception);
}
