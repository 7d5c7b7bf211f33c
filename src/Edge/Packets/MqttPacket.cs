using System.Diagnostics.CodeAnalysis;

namespace GridGov.Realtime.Edge.Packets;

/// <summary>
/// Any MQTT control packet, as a discriminated struct: PUBLISH and the four publish acks are held inline
/// (no allocation), the rare packets as a reference to their class, PINGREQ/PINGRESP by type alone.
/// </summary>
public readonly struct MqttPacket
{
    private readonly PublishPacket _publish;
    private readonly AckPacket _ack;
    private readonly object? _other;

    public MqttPacket(in PublishPacket publish)
    {
        Type = MqttPacketType.Publish;
        _publish = publish;
    }

    public MqttPacket(in AckPacket ack)
    {
        Type = ack.Type;
        _ack = ack;
    }

    private MqttPacket(MqttPacketType type, object? other)
    {
        Type = type;
        _other = other;
    }

    public MqttPacketType Type { get; }

    public static MqttPacket PingReq => new(MqttPacketType.PingReq, null);
    public static MqttPacket PingResp => new(MqttPacketType.PingResp, null);

    /// <summary>The PUBLISH, by reference (no copy). Throws if this is not a PUBLISH.</summary>
    [UnscopedRef]
    public ref readonly PublishPacket Publish
    {
        get
        {
            if (Type != MqttPacketType.Publish)
            {
                ThrowWrongType(MqttPacketType.Publish);
            }

            return ref _publish;
        }
    }

    /// <summary>The PUBACK/PUBREC/PUBREL/PUBCOMP, by reference. Throws for other types.</summary>
    [UnscopedRef]
    public ref readonly AckPacket Ack
    {
        get
        {
            if (Type is not (MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp))
            {
                ThrowWrongType(MqttPacketType.PubAck);
            }

            return ref _ack;
        }
    }

    public ConnectPacket Connect => Get<ConnectPacket>(MqttPacketType.Connect);
    public ConnAckPacket ConnAck => Get<ConnAckPacket>(MqttPacketType.ConnAck);
    public SubscribePacket Subscribe => Get<SubscribePacket>(MqttPacketType.Subscribe);
    public SubAckPacket SubAck => Get<SubAckPacket>(MqttPacketType.SubAck);
    public UnsubscribePacket Unsubscribe => Get<UnsubscribePacket>(MqttPacketType.Unsubscribe);
    public UnsubAckPacket UnsubAck => Get<UnsubAckPacket>(MqttPacketType.UnsubAck);
    public DisconnectPacket Disconnect => Get<DisconnectPacket>(MqttPacketType.Disconnect);
    public AuthPacket Auth => Get<AuthPacket>(MqttPacketType.Auth);

    internal object? Other => _other;

    private T Get<T>(MqttPacketType type)
        where T : class
    {
        if (Type != type || _other is not T value)
        {
            ThrowWrongType(type);
            return null!;
        }

        return value;
    }

    [DoesNotReturn]
    private void ThrowWrongType(MqttPacketType wanted) =>
        throw new InvalidOperationException($"Packet is {Type}, not {wanted}.");

    public static implicit operator MqttPacket(in PublishPacket p) => new(p);
    public static implicit operator MqttPacket(in AckPacket a) => new(a);
    public static implicit operator MqttPacket(ConnectPacket p) => new(MqttPacketType.Connect, p);
    public static implicit operator MqttPacket(ConnAckPacket p) => new(MqttPacketType.ConnAck, p);
    public static implicit operator MqttPacket(SubscribePacket p) => new(MqttPacketType.Subscribe, p);
    public static implicit operator MqttPacket(SubAckPacket p) => new(MqttPacketType.SubAck, p);
    public static implicit operator MqttPacket(UnsubscribePacket p) => new(MqttPacketType.Unsubscribe, p);
    public static implicit operator MqttPacket(UnsubAckPacket p) => new(MqttPacketType.UnsubAck, p);
    public static implicit operator MqttPacket(DisconnectPacket p) => new(MqttPacketType.Disconnect, p);
    public static implicit operator MqttPacket(AuthPacket p) => new(MqttPacketType.Auth, p);

    public override string ToString() => Type.ToString();
}
