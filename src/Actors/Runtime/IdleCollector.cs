using GridGov.Realtime.Actors.Hosting;

namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// Deactivates activations that have had no turn for the idle timeout. Runs every collection quantum
/// on the runtime's clock; deactivation itself is a turn, so it never overlaps grain work.
/// </summary>
internal sealed class IdleCollector(ActorRuntime runtime) : IDisposable
{
    private ITimer? _timer;

    public void Start()
    {
        var quantum = runtime.Options.CollectionQuantum;
        _timer = runtime.TimeProvider.CreateTimer(static s => ((IdleCollector)s!).Collect(), this, quantum, quantum);
    }

    public int Collect()
    {
        var now = runtime.TimeProvider.GetUtcNow().UtcTicks;
        var timeout = runtime.Options.IdleTimeout.Ticks;
        var collected = 0;
        foreach (var activation in runtime.Activations)
        {
            if (activation.IsValid && activation.IsIdleFor(now, timeout))
            {
                activation.TryEnqueue(Envelope.Deactivate(DeactivationReason.IdleTimeout));
                collected++;
            }
        }
        return collected;
    }

    public void Dispose() => _timer?.Dispose();
}
