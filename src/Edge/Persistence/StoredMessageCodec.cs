using System.Buffers;
using System.Text;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Persistence;

/// <summary>
/// Stored messages are 5.0 PUBLISH packets, so the broker's own tested codec carries every property across a restart.
/// The Message Expiry is left out of the packet and kept absolute beside it (5.0 §3.3.2.3.3: it counts while stored).
/// </summary>
internal static class StoredMessageCodec
{
    // The largest packet the protocol allows (5.0 §1.5.5): what was accepted once is always read back.
    private const int MaxStoredPacket = 268_435_455 + 5;

    public static MqttStoredMessage Encode(MqttApplicationMessage message, MqttQualityOfService qos, bool retain, uint[]? subscriptionIds)
    {
        var packet = message.ToPacket(qos, packetId: 1, dup: false, retain, subscriptionIds, DateTimeOffset.UnixEpoch) with { MessageExpiryInterval = null };
        var buffer = new ArrayBufferWriter<byte>(message.ApproximateSize + 32);
        MqttEncoder.Write(packet, MqttProtocolVersion.V500, buffer);
        return new MqttStoredMessage(buffer.WrittenSpan.ToArray(), message.ExpiresAt);
    }

    /// <summary>The message with the QoS, RETAIN and subscription identifiers it was stored with; null when unreadable.</summary>
    public static Decoded? Decode(MqttStoredMessage stored)
    {
        var status = MqttDecoder.TryRead(new ReadOnlySequence<byte>(stored.Packet), MqttProtocolVersion.V500, MaxStoredPacket, out _, out _, out var packet);
        if (status.Status != DecodeStatus.Packet || packet.Type != MqttPacketType.Publish) return null;
        var p = packet.Publish;
        var message = new MqttApplicationMessage
        {
            Topic = p.GetTopicString(),
            TopicUtf8 = p.Topic.ToArray(),
            Payload = p.Payload.ToArray(),
            QoS = p.QoS,
            Retain = p.Retain,
            ExpiresAt = stored.ExpiresAt,
            PayloadFormat = p.PayloadFormatIndicator,
            ContentType = p.ContentType?.ToArray(),
            ResponseTopic = p.ResponseTopic?.ToArray(),
            CorrelationData = p.CorrelationData?.ToArray(),
            UserProperties = p.UserProperties,
        };
        return new Decoded(message, p.QoS, p.Retain, p.SubscriptionIdentifiers is { Count: > 0 } ids ? [.. ids] : null);
    }

    /// <summary>
    /// A will waiting on its delay, stored like any message. Its Message Expiry counts from publication (5.0 §3.1.3.2.4),
    /// so it is made absolute from <paramref name="dueAt"/> only to be turned back into the interval by <see cref="DecodeWill"/>.
    /// </summary>
    public static MqttStoredMessage EncodeWill(MqttWill will, string clientId, DateTimeOffset dueAt) =>
        Encode(MqttApplicationMessage.FromWill(will, clientId, dueAt), will.QoS, will.Retain, null);

    /// <summary>The will as it came in CONNECT (less its delay, which the due time replaces); null when unreadable.</summary>
    public static MqttWill? DecodeWill(MqttStoredWill stored)
    {
        if (Decode(stored.Message) is not { } decoded) return null;
        var m = decoded.Message;
        return new MqttWill
        {
            Topic = m.Topic,
            Payload = m.Payload.ToArray(),
            QoS = decoded.QoS,
            Retain = decoded.Retain,
            Properties = new MqttProperties
            {
                PayloadFormatIndicator = m.PayloadFormat,
                MessageExpiryInterval = m.ExpiresAt is { } at ? (uint)Math.Max(0, (at - stored.DueAt).TotalSeconds) : null,
                ContentType = m.ContentType is { } ct ? Encoding.UTF8.GetString(ct) : null,
                ResponseTopic = m.ResponseTopic is { } rt ? Encoding.UTF8.GetString(rt) : null,
                CorrelationData = m.CorrelationData,
                UserProperties = m.UserProperties is { } up ? [.. up] : null,
            },
        };
    }

    public sealed record Decoded(MqttApplicationMessage Message, MqttQualityOfService QoS, bool Retain, uint[]? SubscriptionIds);
}
