using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Grains.Sensors;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// Routes sensor uplink (DESIGN.md topic scheme: <c>gridgov/v1/sensors/{sensorId}/event|heartbeat</c>) into the
/// sensor intake, which tells the sensor grain one-way. Verdicts: accepted; 0x99 payload format invalid; 0x87
/// not authorized for a sensor that is not registered or inactive; 0x90 topic name invalid for a bad id.
/// The broker's ACL has already checked that a device publishes only under its own id.
/// </summary>
internal sealed class SensorUplinkHandler(SensorIntake intake) : IMqttUplinkHandler
{
    private const string Prefix = "gridgov/v1/sensors/";

    public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
    {
        if (!TryParse(message.Topic, out var sensorId, out var topic)) return MqttUplinkVerdict.Accept; // not a sensor topic
        var result = await intake.HandleAsync(sensorId, topic, message.Payload);
        return result.Status switch
        {
            SensorIntakeStatus.Accepted => MqttUplinkVerdict.Accept,
            SensorIntakeStatus.InvalidSensor => MqttUplinkVerdict.Reject(MqttReasonCode.TopicNameInvalid, result.Reason ?? "invalid sensor id"),
            SensorIntakeStatus.UnknownSensor => MqttUplinkVerdict.Reject(MqttReasonCode.NotAuthorized, result.Reason ?? "unknown sensor"),
            _ => MqttUplinkVerdict.Reject(MqttReasonCode.PayloadFormatInvalid, result.Reason ?? "invalid payload"),
        };
    }

    internal static bool TryParse(string topic, out string sensorId, out SensorTopic kind)
    {
        sensorId = "";
        kind = default;
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = topic.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0) return false;
        var suffix = rest[(slash + 1)..];
        if (suffix.SequenceEqual("event")) kind = SensorTopic.Event;
        else if (suffix.SequenceEqual("heartbeat")) kind = SensorTopic.Heartbeat;
        else return false;
        sensorId = rest[..slash].ToString();
        return true;
    }
}
