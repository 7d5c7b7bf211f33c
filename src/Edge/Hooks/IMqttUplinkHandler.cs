using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;

namespace GridGov.Realtime.Edge.Hooks;

/// <summary>
/// Receives every PUBLISH a client sent that passed the ACL (register any number in DI). The broker awaits the
/// returned task before it acknowledges a QoS 1 (PUBACK) or QoS 2 (PUBREC) publish, so a handler that completes
/// only once the message is durable turns the ack into a durability promise. Complete synchronously on the fast path
/// (return <see cref="MqttUplinkVerdict.Accept"/>): nothing is allocated then.
/// A handler that rejects bad input returns a verdict with a 5.0 reason code (e.g. 0x99 payload format invalid):
/// a 5.0 client gets that code on its ack, a 3.1.1 client a plain ack (its protocol has no codes) so it does not
/// resend a message that can never be accepted. A handler that throws (storage down) gets the 5.0 client 0x80 and
/// a 3.1.1 client a closed connection with no ack, so it resends.
/// </summary>
public interface IMqttUplinkHandler
{
    ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken);
}

/// <summary>A handler's answer to one publish: accepted, or rejected with the reason code and a reason string for logs.</summary>
public readonly record struct MqttUplinkVerdict(MqttReasonCode ReasonCode, string? Reason = null)
{
    public static MqttUplinkVerdict Accept => default;

    public bool IsAccepted => ReasonCode == MqttReasonCode.Success;

    public static MqttUplinkVerdict Reject(MqttReasonCode code, string reason) => new(code, reason);
}

/// <summary>
/// One accepted client publish. <see cref="Payload"/> is valid until the handler's returned task completes: the broker
/// then reuses its buffer for later messages (no allocation per message), so copy what must outlive the call.
/// </summary>
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
