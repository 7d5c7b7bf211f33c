using System.Diagnostics;
using GridGov.Realtime.Actors.Storage;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// One activation: a mailbox and a turn loop. Exactly one turn runs at a time (the loop awaits each
/// message before taking the next), so grain code needs no locks. The loop runs on the thread pool and
/// yields after a bounded number of turns so one busy grain cannot starve the others.
/// </summary>
internal sealed partial class ActivationData : IThreadPoolWorkItem
{
    private const int TurnsPerSchedule = 128;

    private readonly Queue<Envelope> _queue = new();
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActivationStatus _status;
    private bool _scheduled;
    private DeactivationReason? _deactivationRequested;
    private List<GrainTimer>? _timers;
    private CallChain? _rootChain;
    private Grain? _grain;
    private Task? _pendingCall;

    // Idle tracking without reading the clock per message: a turn sets _touched; the collector
    // clears it on each pass and notes when it first found it clear.
    private volatile bool _touched = true;
    private long _idleSinceTicks = long.MaxValue;
    private bool _collectionQueued;

    public ActivationData(GrainId grainId, ActorRuntime runtime, GrainTypeInfo type)
    {
        GrainId = grainId;
        Runtime = runtime;
        Type = type;
    }

    public GrainId GrainId { get; }
    public ActorRuntime Runtime { get; }
    public GrainTypeInfo Type { get; }
    public Task Deactivated => _deactivated.Task;
    public bool IsValid => _status == ActivationStatus.Valid;

    public int QueueLength
    {
        get { lock (_queue) return _queue.Count; }
    }

    /// <summary>Queues a message. False only when this activation is gone: re-resolve and try again.</summary>
    public bool TryEnqueue(Envelope envelope)
    {
        // Activity is what callers send, not what has run yet: a queued message keeps the activation alive.
        if (envelope.KeepsAlive) _touched = true;
        lock (_queue)
        {
            if (_status == ActivationStatus.Invalid) return false;
            _queue.Enqueue(envelope);
            if (_scheduled) return true;
            _scheduled = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    /// <summary>Seeds a successor activation with messages its predecessor received while deactivating.</summary>
    public void Preload(IEnumerable<Envelope> envelopes)
    {
        lock (_queue)
        {
            foreach (var e in envelopes) _queue.Enqueue(e);
        }
    }

    public void ScheduleIfPending()
    {
        lock (_queue)
        {
            if (_scheduled || _queue.Count == 0) return;
            _scheduled = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    public void RequestDeactivation(DeactivationReason reason) => _deactivationRequested ??= reason;

    void IThreadPoolWorkItem.Execute() => _ = RunAsync();

    private async Task RunAsync()
    {
        for (var turns = 0; turns < TurnsPerSchedule; turns++)
        {
            Envelope? envelope;
            lock (_queue)
            {
                if (!_queue.TryDequeue(out envelope))
                {
                    _scheduled = false;
                    return;
                }
            }

            // Set the call chain here, outside ProcessAsync, so consecutive one-way turns reuse the
            // same execution context instead of allocating one per message.
            CallChain.Current = envelope is { Kind: MessageKind.Call, Response: not null }
                ? new CallChain(GrainId, envelope.Chain)
                : _rootChain ??= new CallChain(GrainId, null);

            // Fast path: a call to a ready activation whose method completes synchronously needs no
            // async machinery at all (most one-way notifications and many queries).
            if (!TryInvokeSynchronously(envelope)) await ProcessAsync(envelope);

            if (_status == ActivationStatus.Invalid) return;
            if (_deactivationRequested is { } reason && _status == ActivationStatus.Valid)
            {
                _deactivationRequested = null;
                await DeactivateAsync(reason);
                return;
            }
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private bool TryInvokeSynchronously(Envelope envelope)
    {
        if (envelope.Kind != MessageKind.Call || _status != ActivationStatus.Valid || Runtime.Metrics.TurnTimingEnabled) return false;
        Task task;
        try
        {
            task = envelope.Method!.Invoke(_grain!, envelope.Args!);
        }
        catch (Exception ex)
        {
            OnCallFailed(envelope, ex);
            return true;
        }
        if (!task.IsCompleted)
        {
            // The method went asynchronous: the slow path awaits the task already started.
            _pendingCall = task;
            return false;
        }
        if (task.IsCompletedSuccessfully) envelope.Response?.SetFromCompletedTask(task);
        else OnCallFailed(envelope, task.Exception?.InnerException ?? new TaskCanceledException(task));
        return true;
    }

    private void OnCallFailed(Envelope envelope, Exception ex)
    {
        Runtime.Metrics.MessageFailed();
        if (envelope.Response is not null) envelope.Response.SetException(ex);
        else LogOneWayFailed(Runtime.Logger, ex, GrainId, envelope.Method!.Name);
    }

    private async Task ProcessAsync(Envelope envelope)
    {
        if (_status == ActivationStatus.Created && !await ActivateAsync(envelope)) return;

        var started = Runtime.Metrics.TurnTimingEnabled ? Stopwatch.GetTimestamp() : 0;
        switch (envelope.Kind)
        {
            case MessageKind.Call:
                await InvokeAsync(envelope);
                break;
            case MessageKind.Timer:
                await envelope.Timer.RunTickAsync();
                break;
            case MessageKind.Reminder:
                await ReceiveReminderAsync(envelope);
                break;
            case MessageKind.Deactivate:
                await DeactivateAsync(envelope.Reason);
                return;
        }
        if (started != 0) Runtime.Metrics.RecordTurn(Stopwatch.GetElapsedTime(started));
    }

    private async Task InvokeAsync(Envelope envelope)
    {
        try
        {
            var task = _pendingCall ?? envelope.Method!.Invoke(_grain!, envelope.Args!);
            _pendingCall = null;
            await task;
            envelope.Response?.SetFromCompletedTask(task);
        }
        catch (Exception ex)
        {
            OnCallFailed(envelope, ex);
        }
    }

    private async Task ReceiveReminderAsync(Envelope envelope)
    {
        try
        {
            if (_grain is not IRemindable remindable)
            {
                throw new InvalidOperationException($"{Type.GrainClass.Name} received reminder '{envelope.Reminder.Name}' but does not implement IRemindable.");
            }
            await remindable.ReceiveReminder(envelope.Reminder.Name, envelope.Reminder.Status);
            envelope.Response?.SetResult(null);
        }
        catch (Exception ex)
        {
            Runtime.Metrics.MessageFailed();
            envelope.Response?.SetException(ex);
        }
    }

    private async Task<bool> ActivateAsync(Envelope first)
    {
        _status = ActivationStatus.Activating;
        try
        {
            var (grain, states) = Type.Create(Runtime.Services, GrainId, Runtime.Storage, Runtime.Json);
            grain.Attach(this);
            _grain = grain;
            foreach (var state in states) await state.ReadStateAsync();
            await grain.OnActivateAsync(Runtime.Stopping);
            _status = ActivationStatus.Valid;
            Runtime.Metrics.Activated();
            return true;
        }
        catch (Exception ex)
        {
            LogActivationFailed(Runtime.Logger, ex, GrainId);
            var error = new GrainActivationException($"Activating {GrainId} failed: {ex.Message}", ex);
            first.Fail(error);
            // Everything already queued fails the same way; the next message retries with a fresh activation.
            foreach (var pending in Retire(forwardPending: false)) pending.Fail(error);
            return false;
        }
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        lock (_queue)
        {
            if (_status != ActivationStatus.Valid) return;
            _status = ActivationStatus.Deactivating;
        }
        DisposeTimers();
        try
        {
            await _grain!.OnDeactivateAsync(reason, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogDeactivationFailed(Runtime.Logger, ex, GrainId);
        }
        Runtime.Metrics.Deactivated();
        Retire(forwardPending: true);
    }

    /// <summary>
    /// Marks this activation invalid and leaves the directory. Messages that arrived while it was
    /// deactivating go, in order, to a successor that replaces it atomically, so no sender sees them reordered.
    /// </summary>
    private List<Envelope> Retire(bool forwardPending)
    {
        List<Envelope> pending;
        lock (_queue)
        {
            _status = ActivationStatus.Invalid;
            // Calls and reminder ticks belong to the grain and move on; ticks of this activation's
            // timers and further deactivation requests die with it.
            pending = [.. _queue.Where(e => e.Kind is MessageKind.Call or MessageKind.Reminder)];
            _queue.Clear();
        }
        if (forwardPending && pending.Count > 0)
        {
            Runtime.Replace(this, pending);
            pending = [];
        }
        else
        {
            Runtime.Remove(this);
        }
        _deactivated.TrySetResult();
        return pending;
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool keepAlive)
    {
        var timer = new GrainTimer(this, callback, keepAlive);
        (_timers ??= []).Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    public void RemoveTimer(GrainTimer timer) => _timers?.Remove(timer);

    private void DisposeTimers()
    {
        if (_timers is null) return;
        foreach (var t in _timers) t.Stop();
        _timers = null;
    }

    /// <summary>
    /// Called by the idle collector; true (once) when nothing was sent to the activation for the idle
    /// timeout, and then a deactivation is already queued by the caller.
    /// </summary>
    public bool IsIdleFor(long nowTicks, long idleTimeoutTicks)
    {
        if (_collectionQueued) return false;
        if (_touched)
        {
            _touched = false;
            _idleSinceTicks = nowTicks;
            return false;
        }
        if (_idleSinceTicks == long.MaxValue) _idleSinceTicks = nowTicks;
        if (nowTicks - _idleSinceTicks < idleTimeoutTicks) return false;
        _collectionQueued = true;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "One-way message {Method} to {GrainId} failed")]
    private static partial void LogOneWayFailed(ILogger logger, Exception exception, GrainId grainId, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Activation of {GrainId} failed")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Error, Message = "OnDeactivateAsync of {GrainId} failed")]
    private static partial void LogDeactivationFailed(ILogger logger, Exception exception, GrainId grainId);
}

internal enum ActivationStatus
{
    Created,
    Activating,
    Valid,
    Deactivating,
    Invalid,
}
