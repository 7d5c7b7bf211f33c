using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using Microsoft.AspNetCore.Connections;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>Kestrel entry point for MQTT over TCP and TLS (TLS is terminated by the listener's middleware).</summary>
internal sealed class MqttConnectionHandler(MqttBroker broker, ConnectionRateLimiter rateLimiter) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        if (!rateLimiter.TryAcquire(connection.RemoteEndPoint))
        {
            EdgeLog.RateLimited(broker.Logger, connection.RemoteEndPoint?.ToString() ?? "(unknown)");
            return Task.CompletedTask;
        }

        return new MqttConnection(connection.Transport, connection.RemoteEndPoint, connection.Abort, broker).RunAsync(connection.ConnectionClosed);
    }
}
