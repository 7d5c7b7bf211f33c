using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Actors.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task ConcurrentCallersNeverOverlapTurnsAndLoseNoUpdates()
    {
        await using var host = await TestHosts.InMemory();
        var grain = host.Grains.GetGrain<ICounterGrain>("exclusive");

        // Eight callers, each through its own proxy, hammer one activation whose method yields mid-update.
        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var proxy = host.Grains.GetGrain<ICounterGrain>("exclusive");
            for (var i = 0; i < 500; i++) await proxy.Touch();
        }));
        await Task.WhenAll(callers).Within();

        Assert.Equal(4000, await grain.Get());
        Assert.Equal(1, await grain.MaxConcurrency());
    }

    [Fact]
    public async Task OneWayMessagesFromOneSenderArriveInOrderAndAllCount()
    {
        await using var host = await TestHosts.InMemory();
        var grains = Enumerable.Range(0, 100).Select(i => host.Grains.GetGrain<ICounterGrain>($"c{i}")).ToArray();
        for (var round = 1; round <= 50; round++)
        {
            foreach (var g in grains) await g.Add(round);
        }
        // A request queued after the one-way messages in the same mailbox completes after all of them.
        foreach (var g in grains) Assert.Equal(50 * 51 / 2, await g.Get().Within());
    }

    [Fact]
    public async Task ValueTaskMethodsAndRecordArgumentsRoundTrip()
    {
        await using var host = await TestHosts.InMemory();
        var reply = await host.Grains.GetGrain<ICounterGrain>("echo").Echo(new Greeting("district-7", "all clear"));
        Assert.Equal("echo heard district-7: all clear", reply);
    }

    [Fact]
    public async Task ExceptionsReachTheCallerAndTheActivationKeepsWorking()
    {
        await using var host = await TestHosts.InMemory();
        var faulty = host.Grains.GetGrain<IFaultyGrain>("f1");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => faulty.Divide(6, 0));
        Assert.Equal("cannot divide 6 by zero", ex.Message);
        await faulty.Explode(); // one-way: the caller is not told, the failure is logged and counted
        Assert.Equal(3, await faulty.Divide(6, 2));
        Assert.Equal(3, await faulty.Calls());
    }

    [Fact]
    public async Task AFailingGrainDoesNotDisturbItsNeighbours()
    {
        await using var host = await TestHosts.InMemory();
        var neighbour = host.Grains.GetGrain<ICounterGrain>("neighbour");
        await neighbour.Add(5);
        var failures = Enumerable.Range(0, 20).Select(i => Assert.ThrowsAsync<InvalidOperationException>(() => host.Grains.GetGrain<IFaultyGrain>($"f{i}").Divide(1, 0)));
        await Task.WhenAll(failures);
        Assert.Equal(5, await neighbour.Get());
    }

    [Fact]
    public async Task ActivationFailureIsReportedAndTheNextCallRetries()
    {
        await using var host = await TestHosts.InMemory();
        var ex = await Assert.ThrowsAsync<GrainActivationException>(() => host.Grains.GetGrain<IBrokenGrain>("bad-1").Anything());
        Assert.Contains("activation refused", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        await Assert.ThrowsAsync<GrainActivationException>(() => host.Grains.GetGrain<IBrokenGrain>("bad-1").Anything());
        Assert.Equal(42, await host.Grains.GetGrain<IBrokenGrain>("good-1").Anything());
    }

    [Fact]
    public async Task UnregisteredInterfaceIsAClearError()
    {
        await using var host = await TestHosts.InMemory();
        var ex = Assert.Throws<GrainRegistrationException>(() => host.Grains.GetGrain<INotImplementedGrain>("x"));
        Assert.Contains(nameof(INotImplementedGrain), ex.Message, StringComparison.Ordinal);
    }

    public interface INotImplementedGrain : IGrainWithStringKey
    {
        Task Nothing();
    }
}
