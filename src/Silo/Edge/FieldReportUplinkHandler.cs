using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Grains.Intake;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// Routes a grid worker's field report (DESIGN.md topic scheme: <c>gridgov/v1/terminals/{workerId}/report</c>) into
/// <see cref="FieldReportIntake"/>. The broker awaits this before the PUBACK, and intake completes only once the case
/// is durable, so a PUBACK means the case exists. Verdicts: accepted (also for a redelivery of a report already
/// opened); 0x99 payload format invalid (bad JSON or field, unknown category, a point outside every grid: nothing is
/// created); 0x87 not authorized (not an active grid worker, or outside the worker's region); 0x90 for a bad id.
/// The broker's ACL has already checked that a terminal publishes only under its own id.
/// </summary>
internal sealed class FieldReportUplinkHandler(FieldReportIntake intake) : IMqttUplinkHandler
{
    private const string Prefix = "gridgov/v1/terminals/";
    private const string Suffix = "/report";

    public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
    {
        if (!TryParse(message.Topic, out var workerId)) return MqttUplinkVerdict.Accept; // not a field report
        var result = await intake.HandleAsync(workerId, message.Payload);
        return result.Status switch
        {
            FieldReportStatus.Accepted => MqttUplinkVerdict.Accept,
            FieldReportStatus.InvalidWorker => MqttUplinkVerdict.Reject(MqttReasonCode.TopicNameInvalid, result.Reason ?? "invalid worker id"),
            FieldReportStatus.NotAuthorized => MqttUplinkVerdict.Reject(MqttReasonCode.NotAuthorized, result.Reason ?? "not authorized"),
            _ => MqttUplinkVerdict.Reject(MqttReasonCode.PayloadFormatInvalid, result.Reason ?? "invalid report"),
        };
    }

    internal static bool TryParse(string topic, out string workerId)
    {
        workerId = "";
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal) || !topic.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        var id = topic.AsSpan(Prefix.Length, topic.Length - Prefix.Length - Suffix.Length);
        if (id.IsEmpty || id.Contains('/')) return false;
        workerId = id.ToString();
        return true;
    }
}
