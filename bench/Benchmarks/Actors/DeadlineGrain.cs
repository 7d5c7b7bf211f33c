using GridGov.Realtime.Actors;

namespace GridGov.Realtime.Benchmarks.Actors;

public interface IDeadlineGrain : IGrainWithStringKey
{
    /// <summary>Registers the grain's one durable one-shot reminder to fire at <paramref name="dueAtMs"/> (Unix ms).</summary>
    Task Arm(long dueAtMs);
}

/// <summary>
/// One pending deadline, like a case waiting on its step's deadline: registers one durable one-shot
/// reminder and lets itself be collected, so every fire activates the grain again (the case engine's
/// usual path: a case waits minutes to days for its deadline, far beyond the idle timeout).
/// </summary>
public sealed class DeadlineGrain(FireRecorder recorder) : Grain, IDeadlineGrain, IRemindable
{
    public const string Reminder = "deadline";

    public async Task Arm(long dueAtMs)
    {
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(dueAtMs) - TimeProvider.GetUtcNow();
        await RegisterOrUpdateReminder(Reminder, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        DeactivateOnIdle();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        recorder.Fired(GetPrimaryKeyString(), status.DueAt, TimeProvider.GetUtcNow());
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public static string Key(int index) => $"d-{index}";
}

/// <summary>Lateness of every fire (fire time − due time), fires per deadline, and a signal when all expected fired.</summary>
public sealed class FireRecorder
{
    private int[] _lateMs = [];
    private int[] _fires = [];
    private long _count;
    private long _expected = long.MaxValue;
    private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Count => Volatile.Read(ref _count);

    public Task Reset(int expected)
    {
        _lateMs = new int[expected];
        _fires = new int[expected];
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _expected, expected);
        return _all.Task;
    }

    public void Fired(string key, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var index = int.Parse(key.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);
        if (index >= _fires.Length) return;
        if (Interlocked.Increment(ref _fires[index]) == 1) _lateMs[index] = (int)Math.Min(int.MaxValue, (now - dueAt).TotalMilliseconds);
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _expected)) _all.TrySetResult();
    }

    public FireSummary Summarize()
    {
        var late = new List<int>(_lateMs.Length);
        var duplicates = 0L;
        for (var i = 0; i < _fires.Length; i++)
        {
            if (_fires[i] > 0) late.Add(_lateMs[i]);
            if (_fires[i] > 1) duplicates += _fires[i] - 1;
        }
        late.Sort();
        int At(double q) => late.Count == 0 ? 0 : late[Math.Min(late.Count - 1, (int)(q * late.Count))];
        return new FireSummary(_fires.Length, late.Count, duplicates, At(0.5), At(0.99), At(0.999), late.Count == 0 ? 0 : late[^1],
            late.Count(l => l > 1000));
    }
}

public sealed record FireSummary(int Expected, int Distinct, long Duplicates, int P50Ms, int P99Ms, int P999Ms, int MaxMs, int OverOneSecond)
{
    public override string ToString() =>
        $"fired {Distinct:N0} of {Expected:N0} (duplicates {Duplicates:N0}); lateness p50 {P50Ms} ms, p99 {P99Ms} ms, p99.9 {P999Ms} ms, max {MaxMs} ms; later than 1 s: {OverOneSecond:N0}";
}
