namespace GridGov.Realtime.Edge.Packets;

/// <summary>Will message carried in CONNECT (3.1.1 §3.1.2.5, 5.0 §3.1.3.2-§3.1.3.4).</summary>
public sealed class MqttWill
{
    public required string Topic { get; set; }
    public byte[] Payload { get; set; } = [];
    public MqttQualityOfService QoS { get; set; }
    public bool Retain { get; set; }
    /// <summary>5.0 will properties (will delay, payload format, message expiry, content type, response topic, correlation data, user properties).</summary>
    public MqttProperties? Properties { get; set; }
}

/// <summary>CONNECT (3.1.1 §3.1, 5.0 §3.1). Strings and byte arrays are copies; safe to keep.</summary>
public sealed class ConnectPacket
{
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;
    public string ClientId { get; set; } = "";
    /// <summary>Clean Session in 3.1.1, Clean Start in 5.0.</summary>
    public bool CleanStart { get; set; }
    public ushort KeepAlive { get; set; }
    public string? UserName { get; set; }
    public byte[]? Password { get; set; }
    public MqttWill? Will { get; set; }
    public MqttProperties? Properties { get; set; }
}

/// <summary>CONNACK (3.1.1 §3.2, 5.0 §3.2). The 3.1.1 return code maps 1:1 onto <see cref="ReasonCode"/>, see <see cref="MqttReasonCodes"/>.</summary>
public sealed class ConnAckPacket
{
    public bool SessionPresent { get; set; }
    public MqttReasonCode ReasonCode { get; set; }
    public MqttProperties? Properties { get; set; }
}

/// <summary>Subscription options byte (5.0 §3.8.3.1; in 3.1.1 §3.8.3 only the QoS bits exist).</summary>
public readonly record struct MqttSubscriptionOptions(
    MqttQualityOfService QoS,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    MqttRetainHandling RetainHandling = MqttRetainHandling.SendAtSubscribe)
{
    /// <summary>The wire byte: bits 0-1 QoS, 2 No Local, 3 Retain As Published, 4-5 Retain Handling, 6-7 reserved (0).</summary>
    public byte ToByte(MqttProtocolVersion version) => version == MqttProtocolVersion.V500
        ? (byte)((int)QoS | (NoLocal ? 0x04 : 0) | (RetainAsPublished ? 0x08 : 0) | ((int)RetainHandling << 4))
        : (byte)QoS;
}

/// <summary>One topic filter of a SUBSCRIBE.</summary>
public readonly record struct MqttSubscription(string TopicFilter, MqttSubscriptionOptions Options);

/// <summary>SUBSCRIBE (3.1.1 §3.8, 5.0 §3.8).</summary>
public sealed class SubscribePacket
{
    public ushort PacketId { get; set; }
    public List<MqttSubscription> Subscriptions { get; set; } = [];
    public MqttProperties? Properties { get; set; }
}

/// <summary>SUBACK (3.1.1 §3.9, 5.0 §3.9). One reason code per topic filter, in order.</summary>
public sealed class SubAckPacket
{
    public ushort PacketId { get; set; }
    public List<MqttReasonCode> ReasonCodes { get; set; } = [];
    public MqttProperties? Properties { get; set; }
}

/// <summary>UNSUBSCRIBE (3.1.1 §3.10, 5.0 §3.10).</summary>
public sealed class UnsubscribePacket
{
    public ushort PacketId { get; set; }
    public List<string> TopicFilters { get; set; } = [];
    public MqttProperties? Properties { get; set; }
}

/// <summary>UNSUBACK (3.1.1 §3.11, 5.0 §3.11). Reason codes exist only in 5.0 (empty when decoded from 3.1.1).</summary>
public sealed class UnsubAckPacket
{
    public ushort PacketId { get; set; }
    public List<MqttReasonCode> ReasonCodes { get; set; } = [];
    public MqttProperties? Properties { get; set; }
}

/// <summary>DISCONNECT (3.1.1 §3.14, 5.0 §3.14). Reason code and properties are 5.0 only.</summary>
public sealed class DisconnectPacket
{
    public MqttReasonCode ReasonCode { get; set; }
    public MqttProperties? Properties { get; set; }
}

/// <summary>AUTH (5.0 §3.15). Not part of 3.1.1.</summary>
public sealed class AuthPacket
{
    public MqttReasonCode ReasonCode { get; set; }
    public MqttProperties? Properties { get; set; }
}
