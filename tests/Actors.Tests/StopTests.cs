using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Actors.Tests;

/// <summary>The runtime's stop while grains are still deactivating, and when the host's shutdown timeout has already passed.</summary>
public sealed class StopTests
{
    [Fact]
    public async Task ACallFromOutsideGrainsWhileTheRuntimeIsStoppingIsRefusedAtOnceAndGrainsLeavingMayStillCallOthers()
    {
        await using var host = await TestHosts.InMemory();
        var probe = host.Probe();
        await host.Grains.GetGrain<ISlowExitGrain>("leaving").Wake();

        var stopping = host.Runtime().StopAsync(TestContext.Current.CancellationToken);
        await probe.Named("exiting").Task.Within();
        var refused = await Assert.ThrowsAsync<RuntimeStoppedException>(() => host.Grains.GetGrain<ICounterGrain>("late").Get()).Within();
        Assert.Contains("stopping", refused.Message, StringComparison.Ordinal);

        probe.Named("release").TrySetResult();
        await stopping.Within();
        // The leaving grain's one-way call activated "farewell", which the next sweep deactivated as well.
        Assert.Equal(DeactivationReason.ShuttingDown, await probe.DeactivationOf(new GrainId("slowexit", "leaving")).Within());
        Assert.Equal(DeactivationReason.ShuttingDown, await probe.DeactivationOf(new GrainId("counter", "farewell")).Within());
        Assert.Equal(0, host.Runtime().ActivationCount);
    }

    [Fact]
    public async Task StoppingWithAnExpiredShutdownTokenDoesNotFailAndStillDeactivatesEveryActivation()
    {
        await using var host = await TestHosts.InMemory();
        var probe = host.Probe();
        for (var i = 0; i < 5; i++) await host.Grains.GetGrain<ICounterGrain>($"t{i}").Get();

        await host.Runtime().StopAsync(new CancellationToken(canceled: true));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(DeactivationReason.ShuttingDown, await probe.DeactivationOf(new GrainId("counter", $"t{i}")).Within());
        }
        await Assert.ThrowsAsync<RuntimeStoppedException>(() => host.Grains.GetGrain<ICounterGrain>("t0").Get());
    }
}
