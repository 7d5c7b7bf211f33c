using GridGov.Realtime.Edge.Security;

namespace GridGov.Realtime.Edge.Hooks;

/// <summary>
/// Told when an accepted connection ends without a clean DISCONNECT: network loss, keep-alive timeout (1.5× rule),
/// a protocol violation, a server-side close, or a 5.0 DISCONNECT 0x04 asking for the will. These are exactly the
/// closes on which the broker publishes the client's will (3.1.1 §3.1.2.5, 5.0 §3.1.2.5), so the host can react at
/// once whether or not the device set a will. A session take-over is not a loss: the device is still there.
/// Register any number in DI; called after the session is detached, must be quick and must not throw.
/// </summary>
public interface IMqttConnectionObserver
{
    void OnConnectionLost(string clientId, MqttPrincipal principal);
}
