using System.Collections.Concurrent;

namespace GridGov.Realtime.Actors.Tests.Grains;

public interface ILatchedReminderGrain : IGrainWithStringKey
{
    Task RemindOnce(TimeSpan dueTime);
}

/// <summary>Handles its reminder only when the test opens the latch, so a test can hold ticks in flight.</summary>
public sealed class LatchedReminderGrain(ReminderLatch latch) : Grain, ILatchedReminderGrain, IRemindable
{
    public Task RemindOnce(TimeSpan dueTime) => RegisterOrUpdateReminder("latched", dueTime);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        latch.Enter(GetPrimaryKeyString());
        await latch.Opened;
    }
}

public sealed class ReminderLatch
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _reached = new();
    private int _entered;

    public ConcurrentBag<string> Entered { get; } = [];

    public Task Opened => _open.Task;

    public void Open() => _open.TrySetResult();

    public void Enter(string key)
    {
        Entered.Add(key);
        Reached(Interlocked.Increment(ref _entered)).TrySetResult();
    }

    /// <summary>Completes once <paramref name="count"/> ticks have entered the handler.</summary>
    public Task WhenEntered(int count) => Reached(count).Task;

    private TaskCompletionSource Reached(int count) =>
        _reached.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
