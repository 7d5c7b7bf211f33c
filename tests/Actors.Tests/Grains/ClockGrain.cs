namespace GridGov.Realtime.Actors.Tests.Grains;

public interface IClockGrain : IGrainWithStringKey
{
    Task StartTimer(TimeSpan period);
    Task StopTimer();
    Task<int> TimerTicks();
    Task<int> MaxConcurrency();

    Task RemindOnce(string name, TimeSpan dueTime);
    Task RemindEvery(string name, TimeSpan dueTime, TimeSpan period);
    Task Forget(string name);
    Task<List<string>> Fired();
    Task FailNextReminder();
}

public sealed class ReminderLog
{
    public List<string> Fired { get; set; } = [];
}

/// <summary>Timers count in memory; reminders are written to state so a restart test can see them.</summary>
public sealed class ClockGrain([PersistentState("log")] IPersistentState<ReminderLog> log) : Grain, IClockGrain, IRemindable
{
    private IGrainTimer? _timer;
    private int _ticks;
    private int _inTurn;
    private int _maxConcurrency;
    private bool _failNext;

    public Task StartTimer(TimeSpan period)
    {
        _timer = RegisterGrainTimer(async _ =>
        {
            _maxConcurrency = Math.Max(_maxConcurrency, Interlocked.Increment(ref _inTurn));
            await Task.Yield();
            _ticks++;
            Interlocked.Decrement(ref _inTurn);
        }, period, period);
        return Task.CompletedTask;
    }

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task<int> TimerTicks() => Task.FromResult(_ticks);

    public Task<int> MaxConcurrency() => Task.FromResult(_maxConcurrency);

    public Task RemindOnce(string name, TimeSpan dueTime) => RegisterOrUpdateReminder(name, dueTime);

    public Task RemindEvery(string name, TimeSpan dueTime, TimeSpan period) => RegisterOrUpdateReminder(name, dueTime, period);

    public Task Forget(string name) => UnregisterReminder(name);

    public Task<List<string>> Fired() => Task.FromResult(log.State.Fired);

    public Task FailNextReminder()
    {
        _failNext = true;
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_failNext)
        {
            _failNext = false;
            throw new InvalidOperationException("handler failed");
        }
        log.State.Fired.Add($"{reminderName}@{status.CurrentTickTime:HH:mm:ss}");
        await log.WriteStateAsync();
    }
}
