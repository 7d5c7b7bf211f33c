using GridGov.Realtime.Actors.Runtime;

namespace GridGov.Realtime.Actors;

/// <summary>
/// Base class for grains. An activation processes one message at a time (a turn), so grain code
/// needs no locks. Dependencies arrive by constructor; persisted state by
/// <c>[PersistentState("name")] IPersistentState&lt;T&gt;</c> constructor parameters.
/// </summary>
public abstract class Grain
{
    private ActivationData? _activation;

    internal ActivationData Activation =>
        _activation ?? throw new InvalidOperationException("The grain is not attached to an activation yet; use OnActivateAsync rather than the constructor.");

    internal void Attach(ActivationData activation) => _activation = activation;

    public GrainId GrainId => Activation.GrainId;

    public IGrainFactory GrainFactory => Activation.Runtime;

    /// <summary>The clock the runtime runs on (a fake one in tests).</summary>
    protected TimeProvider TimeProvider => Activation.Runtime.TimeProvider;

    public string GetPrimaryKeyString() => Activation.GrainId.Key;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivate after the current turn, whatever the idle timeout says.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>
    /// A timer bound to this activation. Its callback runs as a turn (never concurrently with a message);
    /// the next tick is not scheduled until the callback has finished. Ticks do not keep the activation
    /// alive unless <paramref name="keepAlive"/> is set. For deadlines that must survive a restart use a reminder.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool keepAlive = false) =>
        Activation.RegisterTimer(callback, dueTime, period, keepAlive);

    /// <summary>A durable periodic reminder (period at least one second); it survives restarts and re-activates the grain.</summary>
    protected Task<GrainReminder> RegisterOrUpdateReminder(string name, TimeSpan dueTime, TimeSpan period) =>
        Activation.Runtime.Reminders.RegisterAsync(GrainId, name, dueTime, period);

    /// <summary>A durable one-shot reminder: delivered once at or after the due time, removed when the grain has handled it.</summary>
    protected Task<GrainReminder> RegisterOrUpdateReminder(string name, TimeSpan dueTime) =>
        Activation.Runtime.Reminders.RegisterAsync(GrainId, name, dueTime, period: null);

    protected Task UnregisterReminder(string name) => Activation.Runtime.Reminders.UnregisterAsync(GrainId, name);

    protected GrainReminder? GetReminder(string name) => Activation.Runtime.Reminders.Get(GrainId, name);
}

public enum DeactivationReason
{
    IdleTimeout,
    ApplicationRequested,
    ShuttingDown,
    ActivationFailed,
}
