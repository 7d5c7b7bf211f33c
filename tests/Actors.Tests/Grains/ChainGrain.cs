namespace GridGov.Realtime.Actors.Tests.Grains;

/// <summary>Grains that call each other, to test cycle detection and one-way upward notifications.</summary>
public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Request/response to <paramref name="next"/>, which calls <paramref name="then"/> if given.</summary>
    Task<string> CallThrough(string next, string? then);

    Task<string> Name();

    [OneWay]
    Task Notify(string next, int hops);

    Task<int> Notifications();
}

public sealed class ChainGrain(ActivationProbe probe) : Grain, IChainGrain
{
    private int _notifications;

    public async Task<string> CallThrough(string next, string? then)
    {
        var target = GrainFactory.GetGrain<IChainGrain>(next);
        return then is null ? await target.Name() : await target.CallThrough(then, null);
    }

    public Task<string> Name() => Task.FromResult(GetPrimaryKeyString());

    public Task Notify(string next, int hops)
    {
        _notifications++;
        if (hops > 0) _ = GrainFactory.GetGrain<IChainGrain>(next).Notify(GetPrimaryKeyString(), hops - 1);
        else probe.Named("notify-chain-done").TrySetResult();
        return Task.CompletedTask;
    }

    public Task<int> Notifications() => Task.FromResult(_notifications);
}
