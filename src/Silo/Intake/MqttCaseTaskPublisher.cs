using System.Text.Json;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Grains.Intake;

namespace GridGov.Realtime.Silo.Intake;

/// <summary>
/// Publishes a task on the worker's terminal downlink <c>gridgov/v1/terminals/{workerId}/tasks</c> at QoS 1, not
/// retained (a task is an event, not a state): a connected terminal gets it now, a persistent session that is away
/// gets it queued. JSON <see cref="CaseTask"/>; the terminal drops copies by <c>taskId</c>.
/// </summary>
internal sealed class MqttCaseTaskPublisher(IEdgePublisher edge) : ICaseTaskPublisher
{
    public static string TopicFor(string workerId) => $"gridgov/v1/terminals/{workerId}/tasks";

    public async ValueTask PublishAsync(string workerId, CaseTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var payload = JsonSerializer.SerializeToUtf8Bytes(task, IntakeJsonContext.Default.CaseTask);
        await edge.PublishAsync(TopicFor(workerId), payload, MqttQualityOfService.AtLeastOnce, retain: false,
            new MqttPublishOptions { ContentType = "application/json" }, cancellationToken);
    }
}
