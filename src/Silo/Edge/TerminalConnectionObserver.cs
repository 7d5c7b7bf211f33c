using GridGov.Realtime.Actors;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Grains.Tracking;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// A terminal's connection lost without DISCONNECT (the moment its will is published) takes the worker offline at
/// once, instead of after the silence threshold. The worker comes back online with its next fix.
/// </summary>
internal sealed class TerminalConnectionObserver(IGrainFactory grains) : IMqttConnectionObserver
{
    public void OnConnectionLost(string clientId, MqttPrincipal principal)
    {
        if (principal.Kind != MqttPrincipalKind.Terminal) return;
        // One-way: queued to the worker's mailbox, never waited on from the broker.
        _ = grains.GetGrain<IWorkerGrain>(principal.Name).ConnectionLost();
    }
}
