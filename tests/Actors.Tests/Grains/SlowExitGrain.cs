namespace GridGov.Realtime.Actors.Tests.Grains;

public interface ISlowExitGrain : IGrainWithStringKey
{
    Task Wake();
}

/// <summary>
/// On its way out it waits for the probe's "release" signal (raising "exiting" first), then tells counter "farewell"
/// it is leaving: a grain that is still deactivating while the test does other things with the runtime.
/// </summary>
public sealed class SlowExitGrain(ActivationProbe probe) : Grain, ISlowExitGrain
{
    public Task Wake() => Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Named("exiting").TrySetResult();
        await probe.Named("release").Task;
        await GrainFactory.GetGrain<ICounterGrain>("farewell").Add(1);
        probe.Deactivated(GrainId, reason);
    }
}
