namespace GridGov.Realtime.Actors.Tests.Grains;

public interface IFaultyGrain : IGrainWithStringKey
{
    Task<int> Divide(int a, int b);

    [OneWay]
    Task Explode();

    Task<int> Calls();
}

public sealed class FaultyGrain : Grain, IFaultyGrain
{
    private int _calls;

    public async Task<int> Divide(int a, int b)
    {
        _calls++;
        await Task.Yield();
        if (b == 0) throw new InvalidOperationException($"cannot divide {a} by zero");
        return a / b;
    }

    public Task Explode()
    {
        _calls++;
        throw new InvalidOperationException("boom");
    }

    public Task<int> Calls() => Task.FromResult(_calls);
}

public interface IBrokenGrain : IGrainWithStringKey
{
    Task<int> Anything();
}

/// <summary>Fails in OnActivateAsync for keys starting with "bad".</summary>
public sealed class BrokenGrain : Grain, IBrokenGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        GetPrimaryKeyString().StartsWith("bad", StringComparison.Ordinal)
            ? throw new InvalidOperationException("activation refused")
            : Task.CompletedTask;

    public Task<int> Anything() => Task.FromResult(42);
}
