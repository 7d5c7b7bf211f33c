using System.Diagnostics.Metrics;
using GridGov.Realtime.Actors.Runtime;

namespace GridGov.Realtime.Actors.Diagnostics;

/// <summary>
/// Runtime metrics on the "GridGov.Realtime.Actors" meter: activations, messages, queue lengths and
/// turn latency. Turn latency is only timed while a listener is attached, so it costs nothing otherwise.
/// </summary>
public sealed class ActorMetrics
{
    public const string MeterName = "GridGov.Realtime.Actors";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _activated;
    private readonly Counter<long> _deactivated;
    private readonly Histogram<double> _turnDuration;
    private readonly Meter _meter;

    public ActorMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _messages = _meter.CreateCounter<long>("gridgov.actors.messages", "{message}", "Messages delivered to activations");
        _failures = _meter.CreateCounter<long>("gridgov.actors.messages.failed", "{message}", "Messages whose grain method threw");
        _activated = _meter.CreateCounter<long>("gridgov.actors.activations.created", "{activation}", "Activations created");
        _deactivated = _meter.CreateCounter<long>("gridgov.actors.activations.collected", "{activation}", "Activations deactivated");
        _turnDuration = _meter.CreateHistogram<double>("gridgov.actors.turn.duration", "s", "Time a turn runs");
    }

    internal bool TurnTimingEnabled => _turnDuration.Enabled;

    internal void ObserveRuntime(ActorRuntime runtime)
    {
        _meter.CreateObservableGauge("gridgov.actors.activations.active", () => runtime.ActivationCount, "{activation}", "Activations in memory");
        _meter.CreateObservableGauge("gridgov.actors.queue.length", () => runtime.Activations.Sum(a => (long)a.QueueLength), "{message}", "Messages waiting in activation mailboxes");
    }

    internal void MessageSent()
    {
        if (_messages.Enabled) _messages.Add(1);
    }

    internal void MessageFailed() => _failures.Add(1);
    internal void Activated() => _activated.Add(1);
    internal void Deactivated() => _deactivated.Add(1);
    internal void RecordTurn(TimeSpan elapsed) => _turnDuration.Record(elapsed.TotalSeconds);
}
