using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Actors.Tests;

public sealed class LifecycleTests
{
    private static readonly GrainId Counter1 = new("counter", "idle-1");

    [Fact]
    public async Task AGrainIsActivatedOnceOnItsFirstMessage()
    {
        await using var host = await TestHosts.InMemory();
        Assert.Equal(0, host.Runtime().ActivationCount);
        var grain = host.Grains.GetGrain<ICounterGrain>("idle-1");
        await grain.Add(1);
        await host.Grains.GetGrain<ICounterGrain>("idle-1").Add(1);
        Assert.Equal(2, await grain.Get());
        Assert.Equal(1, host.Probe().Activations);
        Assert.Equal(1, host.Runtime().ActivationCount);
    }

    [Fact]
    public async Task AnIdleActivationIsCollectedAfterTheTimeoutAndComesBackFresh()
    {
        await using var host = await TestHosts.InMemory(options: o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(2);
            o.CollectionQuantum = TimeSpan.FromMinutes(1);
        });
        var grain = host.Grains.GetGrain<ICounterGrain>("idle-1");
        await grain.Add(7);
        Assert.Equal(7, await grain.Get());

        host.Time.Advance(TimeSpan.FromMinutes(1)); // collector: was touched, starts the idle clock
        host.Time.Advance(TimeSpan.FromMinutes(1)); // idle for 1 min: kept
        Assert.Equal(1, host.Runtime().ActivationCount);
        host.Time.Advance(TimeSpan.FromMinutes(1)); // idle for 2 min: collected

        Assert.Equal(DeactivationReason.IdleTimeout, await host.Probe().DeactivationOf(Counter1).Within());
        Assert.Equal(0, await grain.Get()); // in-memory field: a new activation starts from scratch
        Assert.Equal(2, host.Probe().Activations);
    }

    [Fact]
    public async Task ABusyActivationIsNotCollected()
    {
        await using var host = await TestHosts.InMemory(options: o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(2);
            o.CollectionQuantum = TimeSpan.FromMinutes(1);
        });
        var grain = host.Grains.GetGrain<ICounterGrain>("idle-1");
        for (var i = 0; i < 6; i++)
        {
            await grain.Add(1);
            host.Time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(6, await grain.Get());
        Assert.Equal(1, host.Probe().Activations);
        Assert.Empty(host.Probe().DeactivationLog);
    }

    [Fact]
    public async Task HostShutdownDeactivatesEveryActivation()
    {
        var host = await TestHosts.InMemory();
        var probe = host.Probe();
        for (var i = 0; i < 50; i++) await host.Grains.GetGrain<ICounterGrain>($"s{i}").Get();
        await host.DisposeAsync();
        Assert.Equal(50, probe.DeactivationLog.Count);
        Assert.All(probe.DeactivationLog, d => Assert.Equal(DeactivationReason.ShuttingDown, d.Item2));
    }

    [Fact]
    public async Task MessagesAfterShutdownAreRefused()
    {
        var host = await TestHosts.InMemory();
        var grain = host.Grains.GetGrain<ICounterGrain>("late");
        await host.StopAsync();
        await Assert.ThrowsAsync<RuntimeStoppedException>(() => grain.Get());
        await host.DisposeAsync();
    }
}
