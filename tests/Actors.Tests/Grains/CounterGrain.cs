namespace GridGov.Realtime.Actors.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    [OneWay]
    Task Add(int amount);

    Task<int> Get();

    /// <summary>Yields inside the turn several times; records whether two turns ever overlapped.</summary>
    Task<int> Touch();

    Task<int> MaxConcurrency();

    ValueTask<string> Echo(Greeting greeting);
}

public sealed class CounterState
{
    public int Value { get; set; }
}

public sealed class CounterGrain(ActivationProbe probe) : Grain, ICounterGrain
{
    private int _value;
    private int _inTurn;
    private int _maxConcurrency;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activated(GrainId);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivated(GrainId, reason);
        return Task.CompletedTask;
    }

    public Task Add(int amount)
    {
        _value += amount;
        return Task.CompletedTask;
    }

    public Task<int> Get() => Task.FromResult(_value);

    public async Task<int> Touch()
    {
        var now = Interlocked.Increment(ref _inTurn);
        _maxConcurrency = Math.Max(_maxConcurrency, now);
        await Task.Yield();
        var read = _value;
        await Task.Yield();
        _value = read + 1; // a lost update would show if two turns interleaved here
        Interlocked.Decrement(ref _inTurn);
        return _value;
    }

    public Task<int> MaxConcurrency() => Task.FromResult(_maxConcurrency);

    public ValueTask<string> Echo(Greeting greeting) => ValueTask.FromResult($"{GetPrimaryKeyString()} heard {greeting.From}: {greeting.Text}");
}
