using System.Text.Json;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Grains.Warnings;

namespace GridGov.Realtime.Silo.Warnings;

/// <summary>
/// Publishes a region's current warning as the retained message of <c>gridgov/v1/regions/{code}/warning</c>
/// (QoS 1): JSON <c>{code, level, warningId, issuedBy, since, reason, type}</c>, or an empty payload that
/// clears the retained message when the region has no active warning left. Devices subscribe to their
/// region and its ancestors, which is how a warning reaches everything below where it was issued.
/// </summary>
internal sealed class MqttWarningPublisher(IEdgePublisher edge) : IWarningPublisher
{
    public async ValueTask PublishAsync(string regionCode, RegionWarningSignal? current, CancellationToken cancellationToken = default)
    {
        var payload = current is null ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(current, WarningsJsonContext.Default.RegionWarningSignal);
        await edge.PublishAsync(WarningTopics.For(regionCode), payload, MqttQualityOfService.AtLeastOnce, retain: true,
            new MqttPublishOptions { ContentType = current is null ? null : "application/json" }, cancellationToken);
    }
}
