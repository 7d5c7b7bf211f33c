using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Actors.Tests;

/// <summary>
/// The rule: a request/response call into an activation that is already waiting in the same call
/// chain is refused with a DeadlockException; one-way messages never wait, so cycles of them are fine.
/// </summary>
public sealed class CallChainTests
{
    [Fact]
    public async Task AChainWithoutACycleCompletes()
    {
        await using var host = await TestHosts.InMemory();
        Assert.Equal("c", await host.Grains.GetGrain<IChainGrain>("a").CallThrough("b", "c").Within());
    }

    [Fact]
    public async Task ACallBackIntoAWaitingGrainIsRefusedNotHung()
    {
        await using var host = await TestHosts.InMemory();
        // a awaits b, b calls a: a is busy awaiting b, so this could never complete.
        var ex = await Assert.ThrowsAsync<DeadlockException>(() => host.Grains.GetGrain<IChainGrain>("a").CallThrough("b", "a").Within());
        Assert.Contains("chain/a -> chain/b -> chain/a", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallToItselfIsRefused()
    {
        await using var host = await TestHosts.InMemory();
        await Assert.ThrowsAsync<DeadlockException>(() => host.Grains.GetGrain<IChainGrain>("solo").CallThrough("solo", null).Within());
    }

    [Fact]
    public async Task OneWayCyclesAreAllowed()
    {
        await using var host = await TestHosts.InMemory();
        await host.Grains.GetGrain<IChainGrain>("ping").Notify("pong", 9);
        // ten notifications alternate ping, pong, ping...; wait until pong has seen its five.
        var pong = host.Grains.GetGrain<IChainGrain>("pong");
        var ping = host.Grains.GetGrain<IChainGrain>("ping");
        await host.Probe().Named("notify-chain-done").Task.Within();
        Assert.Equal(5, await ping.Notifications());
        Assert.Equal(5, await pong.Notifications());
    }

    [Fact]
    public async Task TheGrainRecoversAfterARefusedCycle()
    {
        await using var host = await TestHosts.InMemory();
        var a = host.Grains.GetGrain<IChainGrain>("a");
        await Assert.ThrowsAsync<DeadlockException>(() => a.CallThrough("b", "a").Within());
        Assert.Equal("b", await a.CallThrough("b", null).Within());
    }
}
