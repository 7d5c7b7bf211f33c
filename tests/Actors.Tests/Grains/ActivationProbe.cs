using System.Collections.Concurrent;

namespace GridGov.Realtime.Actors.Tests.Grains;

/// <summary>What test grains report about their lifecycle, with signals tests can wait on.</summary>
public sealed class ActivationProbe
{
    private readonly ConcurrentDictionary<GrainId, TaskCompletionSource<DeactivationReason>> _deactivations = new();
    private int _activations;

    public int Activations => Volatile.Read(ref _activations);
    public ConcurrentQueue<(GrainId, DeactivationReason)> DeactivationLog { get; } = new();

    public void Activated(GrainId id) => Interlocked.Increment(ref _activations);

    public void Deactivated(GrainId id, DeactivationReason reason)
    {
        DeactivationLog.Enqueue((id, reason));
        Signal(id).TrySetResult(reason);
    }

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new();

    /// <summary>A named one-shot signal grains can raise and tests can await.</summary>
    public TaskCompletionSource Named(string name) =>
        _signals.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task<DeactivationReason> DeactivationOf(GrainId id) => Signal(id).Task;

    private TaskCompletionSource<DeactivationReason> Signal(GrainId id) =>
        _deactivations.GetOrAdd(id, _ => new TaskCompletionSource<DeactivationReason>(TaskCreationOptions.RunContinuationsAsynchronously));
}
