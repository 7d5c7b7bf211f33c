using System.Buffers;
using System.Text;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Broker;

/// <summary>
/// A published message as the broker keeps it: owned copies of everything, shared by every subscriber it goes to
/// (and by the retained store). Immutable.
/// </summary>
internal sealed class MqttApplicationMessage
{
    public required string Topic { get; init; }
    public required byte[] TopicUtf8 { get; init; }
    public required ReadOnlyMemory<byte> Payload { get; init; }
    public MqttQualityOfService QoS { get; init; }
    public bool Retain { get; init; }
    /// <summary>Client id of the publisher (NoLocal), null for in-process publishes.</summary>
    public string? PublisherClientId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public MqttPayloadFormat? PayloadFormat { get; init; }
    public byte[]? ContentType { get; init; }
    public byte[]? ResponseTopic { get; init; }
    public byte[]? CorrelationData { get; init; }
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }

    /// <summary>Rough encoded size, for queue accounting.</summary>
    public int ApproximateSize => 16 + TopicUtf8.Length + Payload.Length + (ContentType?.Length ?? 0) + (ResponseTopic?.Length ?? 0) + (CorrelationData?.Length ?? 0);

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    /// <summary>Copies a decoded PUBLISH (whose slices die with the pipe buffer). 5.0 §3.3.2.3.3: expiry counts from now.</summary>
    public static MqttApplicationMessage FromPacket(in PublishPacket p, string topic, byte[] topicUtf8, string publisher, DateTimeOffset now) => new()
    {
        Topic = topic,
        TopicUtf8 = topicUtf8,
        Payload = p.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : p.Payload.ToArray(),
        QoS = p.QoS,
        Retain = p.Retain,
        PublisherClientId = publisher,
        ExpiresAt = p.MessageExpiryInterval is { } s ? now.AddSeconds(s) : null,
        PayloadFormat = p.PayloadFormatIndicator,
        ContentType = p.ContentType?.ToArray(),
        ResponseTopic = p.ResponseTopic?.ToArray(),
        CorrelationData = p.CorrelationData?.ToArray(),
        UserProperties = p.UserProperties,
    };

    public static MqttApplicationMessage FromWill(MqttWill will, string publisher, DateTimeOffset now) => new()
    {
        Topic = will.Topic,
        TopicUtf8 = Encoding.UTF8.GetBytes(will.Topic),
        Payload = will.Payload,
        QoS = will.QoS,
        Retain = will.Retain,
        PublisherClientId = publisher,
        ExpiresAt = will.Properties?.MessageExpiryInterval is { } s ? now.AddSeconds(s) : null,
        PayloadFormat = will.Properties?.PayloadFormatIndicator,
        ContentType = will.Properties?.ContentType is { } ct ? Encoding.UTF8.GetBytes(ct) : null,
        ResponseTopic = will.Properties?.ResponseTopic is { } rt ? Encoding.UTF8.GetBytes(rt) : null,
        CorrelationData = will.Properties?.CorrelationData,
        UserProperties = will.Properties?.UserProperties,
    };

    /// <summary>The PUBLISH to send one subscriber (5.0 §3.3.2.3.3: expiry is what remains, never 0 for a live message).</summary>
    public PublishPacket ToPacket(MqttQualityOfService qos, ushort packetId, bool dup, bool retain, IReadOnlyList<uint>? subscriptionIds, DateTimeOffset now) => new()
    {
        QoS = qos,
        PacketId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : packetId,
        Dup = dup,
        Retain = retain,
        Topic = new ReadOnlySequence<byte>(TopicUtf8),
        Payload = new ReadOnlySequence<byte>(Payload),
        MessageExpiryInterval = ExpiresAt is { } at ? (uint)Math.Max(1, Math.Ceiling((at - now).TotalSeconds)) : null,
        PayloadFormatIndicator = PayloadFormat,
        ContentType = ContentType is null ? null : new ReadOnlySequence<byte>(ContentType),
        ResponseTopic = ResponseTopic is null ? null : new ReadOnlySequence<byte>(ResponseTopic),
        CorrelationData = CorrelationData is null ? null : new ReadOnlySequence<byte>(CorrelationData),
        SubscriptionIdentifiers = subscriptionIds,
        UserProperties = UserProperties,
    };
}
