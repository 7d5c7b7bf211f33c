using System.Text.Json.Serialization;
using GridGov.Realtime.Actors;

namespace GridGov.Realtime.Benchmarks.Actors;

public interface IBenchGrain : IGrainWithStringKey
{
    [OneWay]
    Task Tick();

    Task<int> Ping(int value);

    Task Touch();
}

public sealed class BenchState
{
    public int Count { get; set; }
    public string? Grid { get; set; }
}

/// <summary>Counts ticks into a shared countdown so a benchmark knows when every message has been processed.</summary>
public sealed class BenchGrain([PersistentState("bench")] IPersistentState<BenchState> state, Countdown countdown) : Grain, IBenchGrain
{
    private int _ticks;

    public Task Tick()
    {
        _ticks++;
        countdown.Signal();
        return Task.CompletedTask;
    }

    public Task<int> Ping(int value) => Task.FromResult(value + _ticks);

    public Task Touch()
    {
        state.State.Count++;
        return Task.CompletedTask;
    }
}

public sealed class Countdown
{
    private long _remaining;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reset(long count)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, count);
        return _done.Task;
    }

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0) _done.TrySetResult();
    }
}

[JsonSerializable(typeof(BenchState))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
