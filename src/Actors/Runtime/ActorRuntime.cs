using System.Collections.Concurrent;
using System.Reflection;
using GridGov.Realtime.Actors.Diagnostics;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Reminders;
using GridGov.Realtime.Actors.Serialization;
using GridGov.Realtime.Actors.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// The activation directory and message router of one process: <see cref="IGrainFactory"/> for
/// callers, and the place every envelope passes through on its way to an activation.
/// </summary>
internal sealed partial class ActorRuntime : IGrainFactory
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _stopped;

    public ActorRuntime(
        IServiceProvider services,
        GrainTypeRegistry registry,
        IGrainStorage storage,
        ActorJsonOptions json,
        ActorMetrics metrics,
        TimeProvider timeProvider,
        IOptions<ActorRuntimeOptions> options,
        ILogger<ActorRuntime> logger)
    {
        Services = services;
        Registry = registry;
        Storage = storage;
        Json = json;
        Metrics = metrics;
        TimeProvider = timeProvider;
        Options = options.Value;
        Logger = logger;
        MessageCodec = new MessageCodec(json);
        metrics.ObserveRuntime(this);
    }

    public IServiceProvider Services { get; }
    public GrainTypeRegistry Registry { get; }
    public IGrainStorage Storage { get; }
    public ActorJsonOptions Json { get; }
    public ActorMetrics Metrics { get; }
    public TimeProvider TimeProvider { get; }
    public ActorRuntimeOptions Options { get; }
    public ILogger Logger { get; }
    public MessageCodec MessageCodec { get; }

    // Set by the hosted service once reminders are loaded; reminders need the runtime, so this breaks the cycle.
    public ReminderService Reminders { get; internal set; } = null!;

    public CancellationToken Stopping => _stopping.Token;
    public int ActivationCount => _activations.Count;
    public ICollection<ActivationData> Activations => _activations.Values;

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var info = Registry.GetInterface(typeof(TGrainInterface));
        var prototype = info.ProxyPrototype ??= (GrainProxy)(object)DispatchProxy.Create<TGrainInterface, GrainProxy>();
        return (TGrainInterface)(object)prototype.CloneFor(this, info, new GrainId(info.Type.Name, key));
    }

    /// <summary>
    /// Queues an envelope at the target's activation, creating the activation if there is none.
    /// <paramref name="hint"/> is the caller's cached activation; it is refreshed when stale.
    /// </summary>
    public void Deliver(GrainId target, Envelope envelope, ref ActivationData? hint)
    {
        if (_stopped)
        {
            envelope.Fail(new RuntimeStoppedException($"The actor runtime has stopped; {target} cannot receive messages."));
            return;
        }
        // While stopping, only grains (deactivating, or finishing a turn) may still send: anything from outside would
        // activate grains behind the sweep, never to be deactivated, so it is refused at once instead of waiting.
        if (_stopping.IsCancellationRequested && CallChain.Current is null)
        {
            envelope.Fail(new RuntimeStoppedException($"The actor runtime is stopping; {target} takes messages only from grains now."));
            return;
        }
        Metrics.MessageSent();
        if (hint is not null && hint.TryEnqueue(envelope)) return;

        var spin = new SpinWait();
        while (true)
        {
            var activation = _activations.GetOrAdd(target, static (id, rt) => new ActivationData(id, rt, rt.Registry.GetType(id.Type)), this);
            if (activation.TryEnqueue(envelope))
            {
                hint = activation;
                return;
            }
            // The activation retired between lookup and enqueue; its successor or removal is a few instructions away.
            spin.SpinOnce();
        }
    }

    public void Deliver(GrainId target, Envelope envelope)
    {
        ActivationData? none = null;
        Deliver(target, envelope, ref none);
    }

    public void Replace(ActivationData retired, List<Envelope> pending)
    {
        var successor = new ActivationData(retired.GrainId, this, retired.Type);
        successor.Preload(pending);
        if (!_activations.TryUpdate(retired.GrainId, successor, retired))
        {
            // Not in the directory any more (cannot happen while only the activation retires itself), so re-deliver.
            foreach (var e in pending) Deliver(retired.GrainId, e);
            return;
        }
        successor.ScheduleIfPending();
    }

    public void Remove(ActivationData retired) => _activations.TryRemove(KeyValuePair.Create(retired.GrainId, retired));

    /// <summary>
    /// Refuses messages from outside grains, deactivates every activation (OnDeactivateAsync runs for each), then
    /// refuses all messages. <paramref name="cancellationToken"/> is the host's shutdown timeout: when it fires the
    /// runtime stops waiting (what is still deactivating may find storage closed) and says so in the log, but the
    /// host's stop does not fail for it.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        try
        {
            // Deactivation may itself send messages (a grain notifying another on its way out), which can
            // create new activations; sweep until none are left, a bounded number of times.
            for (var round = 0; round < 5 && !_activations.IsEmpty; round++)
            {
                var waits = new List<Task>();
                foreach (var activation in _activations.Values)
                {
                    activation.TryEnqueue(Envelope.Deactivate(DeactivationReason.ShuttingDown));
                    waits.Add(activation.Deactivated);
                }
                await Task.WhenAll(waits).WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Logged below with the count still active.
        }
        _stopped = true;
        if (!_activations.IsEmpty) LogStoppedWithActivations(Logger, _activations.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor runtime stopped with {Count} activations not deactivated (host shutdown timeout, or grains still activating others on their way out)")]
    private static partial void LogStoppedWithActivations(ILogger logger, int count);
}
