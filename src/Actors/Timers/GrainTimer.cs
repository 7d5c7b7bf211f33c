using GridGov.Realtime.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Actors;

/// <summary>
/// An activation-bound timer on the runtime's TimeProvider. Each tick is queued as a turn; a tick that
/// comes while the previous one is still queued or running is skipped rather than piling up.
/// </summary>
internal sealed partial class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _cts = new();
    private int _pending;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, bool keepAlive)
    {
        _activation = activation;
        _callback = callback;
        KeepAlive = keepAlive;
        _timer = activation.Runtime.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public bool KeepAlive { get; }

    public void Change(TimeSpan dueTime, TimeSpan period) => _timer.Change(dueTime, period);

    private void OnTick()
    {
        if (_cts.IsCancellationRequested || Interlocked.Exchange(ref _pending, 1) == 1) return;
        // A retired activation no longer runs turns; its timers were stopped in DeactivateAsync.
        if (!_activation.TryEnqueue(new Envelope { Kind = MessageKind.Timer, Control = this })) Stop();
    }

    public async Task RunTickAsync()
    {
        try
        {
            if (!_cts.IsCancellationRequested) await _callback(_cts.Token);
        }
        catch (Exception ex)
        {
            LogTimerFailed(_activation.Runtime.Logger, ex, _activation.GrainId);
        }
        finally
        {
            Volatile.Write(ref _pending, 0);
        }
    }

    /// <summary>Called from grain code, inside a turn.</summary>
    public void Dispose()
    {
        Stop();
        _activation.RemoveTimer(this);
    }

    /// <summary>Stops ticking without touching the activation's timer list (safe off the turn).</summary>
    public void Stop()
    {
        if (_cts.IsCancellationRequested) return;
        _cts.Cancel();
        _timer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer callback of {GrainId} failed")]
    private static partial void LogTimerFailed(ILogger logger, Exception exception, GrainId grainId);
}
