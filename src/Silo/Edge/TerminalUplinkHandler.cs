using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Grains.Tracking;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// Routes terminal uplink (DESIGN.md topic scheme: <c>gridgov/v1/terminals/{workerId}/position|sos</c>) into the
/// tracking intake. The broker awaits this before sending PUBACK, and intake completes only once the fixes are
/// committed, so a PUBACK means the fix is durable. The worker id comes from the topic; the broker's ACL has
/// already checked that a device publishes only under its own id.
/// </summary>
internal sealed class TerminalUplinkHandler(TerminalIntake intake) : IMqttUplinkHandler
{
    private const string Prefix = "gridgov/v1/terminals/";

    public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
    {
        if (!TryParse(message.Topic, message.DeviceId, out var workerId, out var kind)) return MqttUplinkVerdict.Accept; // not tracking's topic
        var result = await intake.HandleAsync(workerId, kind, message.Payload, cancellationToken);
        return result.Status switch
        {
            IntakeStatus.Accepted => MqttUplinkVerdict.Accept,
            IntakeStatus.InvalidPayload => MqttUplinkVerdict.Reject(MqttReasonCode.PayloadFormatInvalid, result.Reason ?? "invalid payload"),
            IntakeStatus.InvalidWorker => MqttUplinkVerdict.Reject(MqttReasonCode.TopicNameInvalid, result.Reason ?? "invalid worker id"),
            // Not durable: no PUBACK (3.1.1) or 0x80 (5.0), so the terminal sends the fix again.
            _ => throw new IOException($"Position history is unavailable: {result.Reason}"),
        };
    }

    internal static bool TryParse(string topic, out string workerId, out TerminalTopic kind) => TryParse(topic, null, out workerId, out kind);

    /// <summary>A terminal publishes under its own id (the ACL checked it), so the id is usually the device's own string: no copy.</summary>
    internal static bool TryParse(string topic, string? deviceId, out string workerId, out TerminalTopic kind)
    {
        workerId = "";
        kind = default;
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = topic.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0) return false;
        var suffix = rest[(slash + 1)..];
        if (suffix.SequenceEqual("position")) kind = TerminalTopic.Position;
        else if (suffix.SequenceEqual("sos")) kind = TerminalTopic.Sos;
        else return false;
        var id = rest[..slash];
        workerId = deviceId is not null && id.SequenceEqual(deviceId) ? deviceId : id.ToString();
        return true;
    }
}
