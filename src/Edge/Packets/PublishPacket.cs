using System.Buffers;
using System.Text;

namespace GridGov.Realtime.Edge.Packets;

/// <summary>
/// PUBLISH (3.1.1 §3.3, 5.0 §3.3). A struct whose byte members are slices of the decoder's input, so decoding it
/// allocates nothing (unless it carries user properties or subscription identifiers).
/// <para><b>Lifetime:</b> when produced by the decoder, <see cref="Topic"/>, <see cref="Payload"/>,
/// <see cref="ContentType"/>, <see cref="ResponseTopic"/> and <see cref="CorrelationData"/> point into the input buffer
/// and are valid only until the caller advances the pipe past the packet. Copy what must outlive that.</para>
/// </summary>
public readonly struct PublishPacket
{
    public MqttQualityOfService QoS { get; init; }
    public bool Dup { get; init; }
    public bool Retain { get; init; }
    /// <summary>Non-zero when QoS &gt; 0; absent from the wire for QoS 0.</summary>
    public ushort PacketId { get; init; }
    /// <summary>Topic name as validated UTF-8 bytes. Empty only in 5.0 together with a <see cref="TopicAlias"/>.</summary>
    public ReadOnlySequence<byte> Topic { get; init; }
    public ReadOnlySequence<byte> Payload { get; init; }

    // 5.0 properties (5.0 §3.3.2.3); ignored when encoding 3.1.1.
    public MqttPayloadFormat? PayloadFormatIndicator { get; init; }
    public uint? MessageExpiryInterval { get; init; }
    /// <summary>0 means no Topic Alias (0 is not a valid alias, 5.0 §3.3.2.3.4).</summary>
    public ushort TopicAlias { get; init; }
    public ReadOnlySequence<byte>? ResponseTopic { get; init; }
    public ReadOnlySequence<byte>? CorrelationData { get; init; }
    public ReadOnlySequence<byte>? ContentType { get; init; }
    /// <summary>Server-to-client only; may repeat (5.0 §3.3.2.3.8).</summary>
    public IReadOnlyList<uint>? SubscriptionIdentifiers { get; init; }
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }

    /// <summary>Allocates: the topic as a string.</summary>
    public string GetTopicString() => Encoding.UTF8.GetString(Topic);
}

/// <summary>
/// PUBACK, PUBREC, PUBREL or PUBCOMP (5.0 §3.4-§3.7): a packet id plus, in 5.0, a reason code and optional
/// reason string / user properties. A struct; decoding one without properties allocates nothing.
/// </summary>
public readonly struct AckPacket
{
    public AckPacket(MqttPacketType type, ushort packetId, MqttReasonCode reasonCode = MqttReasonCode.Success)
    {
        if (type is not (MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a PUBACK/PUBREC/PUBREL/PUBCOMP type.");
        }

        Type = type;
        PacketId = packetId;
        ReasonCode = reasonCode;
    }

    public MqttPacketType Type { get; }
    public ushort PacketId { get; }
    /// <summary>5.0 only; always Success when decoded from 3.1.1.</summary>
    public MqttReasonCode ReasonCode { get; init; }
    public string? ReasonString { get; init; }
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }
}
