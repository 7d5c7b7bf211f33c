using System.Text.Json;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Grains.Responders;

namespace GridGov.Realtime.Silo.Responders;

/// <summary>
/// Publishes an escalation to <c>gridgov/v1/responders/{userId}/escalations</c> at QoS 1, not retained: the broker
/// queues it for a responder whose persistent session is offline and delivers it on reconnect, and a retained
/// message would hold only the last of several open escalations. JSON is <see cref="EscalationNotice"/> (camelCase).
/// </summary>
internal sealed class MqttResponderNotifier(IEdgePublisher edge) : IResponderNotifier
{
    public async ValueTask NotifyAsync(string responder, EscalationNotice notice, CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(notice, RespondersJsonContext.Default.EscalationNotice);
        await edge.PublishAsync(ResponderTopics.Escalations(responder), payload, MqttQualityOfService.AtLeastOnce, retain: false,
            new MqttPublishOptions { ContentType = "application/json" }, cancellationToken);
    }
}
