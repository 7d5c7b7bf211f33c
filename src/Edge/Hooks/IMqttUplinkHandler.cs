using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;

namespace GridGov.Realtime.Edge.Hooks;

/// <summary>
/// Receives every PUBLISH a client sent that passed the ACL (register any number in DI). The broker awaits the
/// returned task before it acknowledges a QoS 1 (PUBACK) or QoS 2 (PUBREC) publish, so a handler that completes
/// only once the message is durable turns the ack into a durability promise. Complete synchronously on the fast path
/// (return <c>default</c>): nothing is allocated then. A handler that throws gets the 5.0 client a 0x80 ack and a
/// 3.1.1 client a closed connection (no ack, so it resends).
/// </summary>
public interface IMqttUplinkHandler
{
    ValueTask OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken);
}

/// <summary>One accepted client publish. <see cref="Payload"/> is the broker's own copy and may be kept.</summary>
public readonly record struct MqttUplinkMessage(
    string ClientId,
    MqttPrincipal Principal,
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQualityOfService QoS,
    bool Retain,
    IReadOnlyList<MqttUserProperty>? UserProperties)
{
    /// <summary>The authenticated device id (terminals and sensors), else null.</summary>
    public string? DeviceId => Principal.DeviceId;
}
