using System.Buffers;
using System.Text;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Codec;

/// <summary>
/// MQTT 3.1.1 / 5.0 encoder. Writes one packet to an <see cref="IBufferWriter{T}"/> for a given protocol version:
/// 3.1.1 (and 3.1) encodings leave out every 5.0-only field (reason codes on acks, properties, AUTH is refused).
/// Properties a packet type does not allow are left out too. PUBLISH and the publish acks encode without allocating.
/// Throws <see cref="ArgumentException"/> only for caller errors (a string over 65,535 UTF-8 bytes, a packet larger
/// than 268,435,455 bytes of Remaining Length, AUTH or a password without user name on 3.1.1).
/// </summary>
public static class MqttEncoder
{
    // ---------------------------------------------------------------- public API

    /// <summary>Total encoded size (fixed header included) — what a peer's Maximum Packet Size is compared with (5.0 §3.1.2.11.4).</summary>
    public static int GetEncodedSize(in MqttPacket packet, MqttProtocolVersion version) => packet.Type switch
    {
        MqttPacketType.Publish => GetEncodedSize(in packet.Publish, version),
        MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp => GetEncodedSize(in packet.Ack, version),
        _ => Total(MeasureOther(packet, version)),
    };

    public static int GetEncodedSize(in PublishPacket publish, MqttProtocolVersion version)
    {
        var counter = default(CountingSink);
        EmitPublish(ref counter, in publish, version);
        return Total(counter.Count + PayloadLength(in publish));
    }

    public static int GetEncodedSize(in AckPacket ack, MqttProtocolVersion version)
    {
        var counter = default(CountingSink);
        EmitAck(ref counter, in ack, version);
        return Total(counter.Count);
    }

    /// <summary>Encodes <paramref name="packet"/> for <paramref name="version"/>; returns the number of bytes written.</summary>
    public static int Write(in MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> writer)
    {
        switch (packet.Type)
        {
            case MqttPacketType.Publish:
                return Write(in packet.Publish, version, writer);
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp:
                return Write(in packet.Ack, version, writer);
            default:
                var bodyLength = MeasureOther(packet, version);
                var total = Total(bodyLength);
                var sink = new SpanSink(writer.GetSpan(total));
                sink.Byte(FirstByte(packet.Type));
                sink.VarInt((uint)bodyLength);
                EmitOther(ref sink, packet, version);
                writer.Advance(sink.Position);
                return sink.Position;
        }
    }

    /// <summary>Encodes a PUBLISH. The payload is copied segment by segment, so it is never required to fit one span.</summary>
    public static int Write(in PublishPacket publish, MqttProtocolVersion version, IBufferWriter<byte> writer)
    {
        var counter = default(CountingSink);
        EmitPublish(ref counter, in publish, version);
        var payloadLength = PayloadLength(in publish);
        var remaining = counter.Count + payloadLength;
        var headLength = Total(remaining) - payloadLength;

        var sink = new SpanSink(writer.GetSpan(headLength));
        // 3.1.1 §3.3.1 / 5.0 §3.3.1: DUP bit 3, QoS bits 2-1, RETAIN bit 0.
        sink.Byte((byte)(0x30 | (publish.Dup ? 0x08 : 0) | ((int)publish.QoS << 1) | (publish.Retain ? 0x01 : 0)));
        sink.VarInt((uint)remaining);
        EmitPublish(ref sink, in publish, version);
        writer.Advance(headLength);

        if (payloadLength > 0)
        {
            var payload = publish.Payload;
            foreach (var segment in payload)
            {
                writer.Write(segment.Span);
            }
        }

        return headLength + payloadLength;
    }

    /// <summary>Encodes a PUBACK/PUBREC/PUBREL/PUBCOMP.</summary>
    public static int Write(in AckPacket ack, MqttProtocolVersion version, IBufferWriter<byte> writer)
    {
        var counter = default(CountingSink);
        EmitAck(ref counter, in ack, version);
        var total = Total(counter.Count);
        var sink = new SpanSink(writer.GetSpan(total));
        sink.Byte(FirstByte(ack.Type));
        sink.VarInt((uint)counter.Count);
        EmitAck(ref sink, in ack, version);
        writer.Advance(total);
        return total;
    }

    // ---------------------------------------------------------------- helpers

    internal static int Utf8Length(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            // 5.0 §1.5.4: a UTF-8 Encoded String is at most 65,535 bytes.
            throw new ArgumentException("String longer than 65,535 UTF-8 bytes.", nameof(value));
        }

        return length;
    }

    private static int PayloadLength(in PublishPacket publish)
    {
        var length = publish.Payload.Length;
        return length > MqttVarInt.MaxValue
            ? throw new ArgumentException("Payload too large for an MQTT packet.", nameof(publish))
            : (int)length;
    }

    private static int Total(int remainingLength)
    {
        if (remainingLength > MqttVarInt.MaxValue)
        {
            throw new ArgumentException("Packet exceeds the maximum Remaining Length (268,435,455).");
        }

        return 1 + MqttVarInt.GetSize((uint)remainingLength) + remainingLength;
    }

    /// <summary>Fixed header byte 1 (3.1.1 §2.2 table 2.2, 5.0 §2.1.3 table 2-2); PUBLISH is handled separately.</summary>
    private static byte FirstByte(MqttPacketType type) =>
        (byte)(((int)type << 4) | (type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0b0010 : 0));

    private static void BinaryData<TSink>(ref TSink sink, ReadOnlySpan<byte> data)
        where TSink : IMqttSink, allows ref struct
    {
        // 5.0 §1.5.6 Binary Data: two-byte length, at most 65,535 bytes.
        if (data.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Binary data longer than 65,535 bytes.", nameof(data));
        }

        sink.UInt16((ushort)data.Length);
        sink.Raw(data);
    }

    private static void BinaryData<TSink>(ref TSink sink, in ReadOnlySequence<byte> data)
        where TSink : IMqttSink, allows ref struct
    {
        if (data.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Binary data or string longer than 65,535 bytes.", nameof(data));
        }

        sink.UInt16((ushort)data.Length);
        sink.Raw(in data);
    }

    private static void UserProperties<TSink>(ref TSink sink, IReadOnlyList<MqttUserProperty>? userProperties)
        where TSink : IMqttSink, allows ref struct
    {
        if (userProperties is null)
        {
            return;
        }

        for (var i = 0; i < userProperties.Count; i++)
        {
            sink.Byte((byte)MqttPropertyId.UserProperty);
            sink.String(userProperties[i].Name);
            sink.String(userProperties[i].Value);
        }
    }

    // ---------------------------------------------------------------- PUBLISH / acks

    private static void EmitPublish<TSink>(ref TSink sink, in PublishPacket p, MqttProtocolVersion version)
        where TSink : IMqttSink, allows ref struct
    {
        BinaryData(ref sink, p.Topic);
        if (p.QoS != MqttQualityOfService.AtMostOnce)
        {
            sink.UInt16(p.PacketId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            var counter = default(CountingSink);
            EmitPublishProperties(ref counter, in p);
            sink.VarInt((uint)counter.Count);
            EmitPublishProperties(ref sink, in p);
        }
    }

    private static void EmitPublishProperties<TSink>(ref TSink sink, in PublishPacket p)
        where TSink : IMqttSink, allows ref struct
    {
        if (p.PayloadFormatIndicator is { } format)
        {
            sink.Byte((byte)MqttPropertyId.PayloadFormatIndicator);
            sink.Byte((byte)format);
        }

        if (p.MessageExpiryInterval is { } expiry)
        {
            sink.Byte((byte)MqttPropertyId.MessageExpiryInterval);
            sink.UInt32(expiry);
        }

        if (p.TopicAlias != 0)
        {
            sink.Byte((byte)MqttPropertyId.TopicAlias);
            sink.UInt16(p.TopicAlias);
        }

        if (p.ResponseTopic is { } responseTopic)
        {
            sink.Byte((byte)MqttPropertyId.ResponseTopic);
            BinaryData(ref sink, in responseTopic);
        }

        if (p.CorrelationData is { } correlation)
        {
            sink.Byte((byte)MqttPropertyId.CorrelationData);
            BinaryData(ref sink, in correlation);
        }

        if (p.ContentType is { } contentType)
        {
            sink.Byte((byte)MqttPropertyId.ContentType);
            BinaryData(ref sink, in contentType);
        }

        if (p.SubscriptionIdentifiers is { } ids)
        {
            for (var i = 0; i < ids.Count; i++)
            {
                sink.Byte((byte)MqttPropertyId.SubscriptionIdentifier);
                sink.VarInt(ids[i]);
            }
        }

        UserProperties(ref sink, p.UserProperties);
    }

    private static void EmitAck<TSink>(ref TSink sink, in AckPacket a, MqttProtocolVersion version)
        where TSink : IMqttSink, allows ref struct
    {
        sink.UInt16(a.PacketId);
        if (version != MqttProtocolVersion.V500)
        {
            return;
        }

        var hasProperties = a.ReasonString is not null || a.UserProperties is { Count: > 0 };
        // 5.0 §3.4.2.1: Reason Code and Property Length can be omitted for Success without properties.
        if (a.ReasonCode == MqttReasonCode.Success && !hasProperties)
        {
            return;
        }

        sink.Byte((byte)a.ReasonCode);
        if (hasProperties)
        {
            var counter = default(CountingSink);
            EmitAckProperties(ref counter, in a);
            sink.VarInt((uint)counter.Count);
            EmitAckProperties(ref sink, in a);
        }
    }

    private static void EmitAckProperties<TSink>(ref TSink sink, in AckPacket a)
        where TSink : IMqttSink, allows ref struct
    {
        if (a.ReasonString is { } reason)
        {
            sink.Byte((byte)MqttPropertyId.ReasonString);
            sink.String(reason);
        }

        UserProperties(ref sink, a.UserProperties);
    }

    // ---------------------------------------------------------------- other packets

    private static int MeasureOther(in MqttPacket packet, MqttProtocolVersion version)
    {
        var counter = default(CountingSink);
        EmitOther(ref counter, packet, version);
        return counter.Count;
    }

    private static void EmitOther<TSink>(ref TSink sink, in MqttPacket packet, MqttProtocolVersion version)
        where TSink : IMqttSink, allows ref struct
    {
        var v5 = version == MqttProtocolVersion.V500;
        switch (packet.Type)
        {
            case MqttPacketType.Connect:
                EmitConnect(ref sink, packet.Connect, version);
                break;

            case MqttPacketType.ConnAck:
            {
                var c = packet.ConnAck;
                sink.Byte(c.SessionPresent ? (byte)1 : (byte)0);
                // 3.1.1 has only return codes 0-5; a 5.0 code without equivalent becomes 3 (Server unavailable).
                sink.Byte(v5 ? (byte)c.ReasonCode : (byte)(MqttReasonCodes.ToConnectReturnCode(c.ReasonCode) ?? MqttConnectReturnCode.ServerUnavailable));
                if (v5)
                {
                    Properties(ref sink, c.Properties, (int)MqttPacketType.ConnAck);
                }

                break;
            }

            case MqttPacketType.Subscribe:
            {
                var s = packet.Subscribe;
                sink.UInt16(s.PacketId);
                if (v5)
                {
                    Properties(ref sink, s.Properties, (int)MqttPacketType.Subscribe);
                }

                foreach (var sub in s.Subscriptions)
                {
                    sink.String(sub.TopicFilter);
                    sink.Byte(sub.Options.ToByte(version));
                }

                break;
            }

            case MqttPacketType.SubAck:
            {
                var s = packet.SubAck;
                sink.UInt16(s.PacketId);
                if (v5)
                {
                    Properties(ref sink, s.Properties, (int)MqttPacketType.SubAck);
                }

                foreach (var code in s.ReasonCodes)
                {
                    sink.Byte((byte)(v5 ? code : MqttReasonCodes.ToV311SubAck(code)));
                }

                break;
            }

            case MqttPacketType.Unsubscribe:
            {
                var u = packet.Unsubscribe;
                sink.UInt16(u.PacketId);
                if (v5)
                {
                    Properties(ref sink, u.Properties, (int)MqttPacketType.Unsubscribe);
                }

                foreach (var filter in u.TopicFilters)
                {
                    sink.String(filter);
                }

                break;
            }

            case MqttPacketType.UnsubAck:
            {
                var u = packet.UnsubAck;
                sink.UInt16(u.PacketId);
                if (v5)
                {
                    Properties(ref sink, u.Properties, (int)MqttPacketType.UnsubAck);
                    foreach (var code in u.ReasonCodes)
                    {
                        sink.Byte((byte)code);
                    }
                }

                break;
            }

            case MqttPacketType.PingReq or MqttPacketType.PingResp:
                break;

            case MqttPacketType.Disconnect or MqttPacketType.Auth:
            {
                if (packet.Type == MqttPacketType.Auth && !v5)
                {
                    throw new ArgumentException("AUTH does not exist before MQTT 5.0.", nameof(packet));
                }

                if (!v5)
                {
                    break;
                }

                var (code, props) = packet.Type == MqttPacketType.Auth
                    ? (packet.Auth.ReasonCode, packet.Auth.Properties)
                    : (packet.Disconnect.ReasonCode, packet.Disconnect.Properties);
                var counter = default(CountingSink);
                EmitProperties(ref counter, props, (int)packet.Type);
                // 5.0 §3.14.2.1 / §3.15.2.1: Success with no properties is sent as Remaining Length 0.
                if (code == MqttReasonCode.Success && counter.Count == 0)
                {
                    break;
                }

                sink.Byte((byte)code);
                if (counter.Count > 0)
                {
                    sink.VarInt((uint)counter.Count);
                    EmitProperties(ref sink, props, (int)packet.Type);
                }

                break;
            }

            default:
                throw new ArgumentException($"Cannot encode packet type {packet.Type}.", nameof(packet));
        }
    }

    private static void EmitConnect<TSink>(ref TSink sink, ConnectPacket c, MqttProtocolVersion version)
        where TSink : IMqttSink, allows ref struct
    {
        if (version == MqttProtocolVersion.Unknown)
        {
            version = c.ProtocolVersion;
        }

        var v5 = version == MqttProtocolVersion.V500;
        if (!v5 && c.Password is not null && c.UserName is null)
        {
            // 3.1.1 §3.1.2.9 [MQTT-3.1.2-22].
            throw new ArgumentException("MQTT 3.1.1 does not allow a password without a user name.", nameof(c));
        }

        // 3.1.1 §3.1.2.1-§3.1.2.2 / 5.0 §3.1.2.1-§3.1.2.2: protocol name and level.
        sink.String(version == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT");
        sink.Byte((byte)(version == MqttProtocolVersion.V310 ? 3 : v5 ? 5 : 4));

        var flags = 0;
        if (c.CleanStart)
        {
            flags |= 0x02;
        }

        if (c.Will is { } will)
        {
            flags |= 0x04 | ((int)will.QoS << 3) | (will.Retain ? 0x20 : 0);
        }

        if (c.Password is not null)
        {
            flags |= 0x40;
        }

        if (c.UserName is not null)
        {
            flags |= 0x80;
        }

        sink.Byte((byte)flags);
        sink.UInt16(c.KeepAlive);
        if (v5)
        {
            Properties(ref sink, c.Properties, (int)MqttPacketType.Connect);
        }

        sink.String(c.ClientId);
        if (c.Will is { } w)
        {
            if (v5)
            {
                Properties(ref sink, w.Properties, MqttPropertyTable.WillContext);
            }

            sink.String(w.Topic);
            BinaryData(ref sink, w.Payload);
        }

        if (c.UserName is not null)
        {
            sink.String(c.UserName);
        }

        if (c.Password is not null)
        {
            BinaryData(ref sink, c.Password);
        }
    }

    /// <summary>Property Length then the properties (5.0 §2.2.2).</summary>
    private static void Properties<TSink>(ref TSink sink, MqttProperties? props, int context)
        where TSink : IMqttSink, allows ref struct
    {
        var counter = default(CountingSink);
        EmitProperties(ref counter, props, context);
        sink.VarInt((uint)counter.Count);
        EmitProperties(ref sink, props, context);
    }

    private static void EmitProperties<TSink>(ref TSink sink, MqttProperties? p, int context)
        where TSink : IMqttSink, allows ref struct
    {
        if (p is null)
        {
            return;
        }

        ByteProp(ref sink, MqttPropertyId.PayloadFormatIndicator, (byte?)p.PayloadFormatIndicator, context);
        IntProp(ref sink, MqttPropertyId.MessageExpiryInterval, p.MessageExpiryInterval, context);
        StringProp(ref sink, MqttPropertyId.ContentType, p.ContentType, context);
        StringProp(ref sink, MqttPropertyId.ResponseTopic, p.ResponseTopic, context);
        BinaryProp(ref sink, MqttPropertyId.CorrelationData, p.CorrelationData, context);
        if (p.SubscriptionIdentifier is { } subscriptionId && MqttPropertyTable.IsAllowed(MqttPropertyId.SubscriptionIdentifier, context))
        {
            sink.Byte((byte)MqttPropertyId.SubscriptionIdentifier);
            sink.VarInt(subscriptionId);
        }

        IntProp(ref sink, MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval, context);
        StringProp(ref sink, MqttPropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier, context);
        ShortProp(ref sink, MqttPropertyId.ServerKeepAlive, p.ServerKeepAlive, context);
        StringProp(ref sink, MqttPropertyId.AuthenticationMethod, p.AuthenticationMethod, context);
        BinaryProp(ref sink, MqttPropertyId.AuthenticationData, p.AuthenticationData, context);
        BoolProp(ref sink, MqttPropertyId.RequestProblemInformation, p.RequestProblemInformation, context);
        IntProp(ref sink, MqttPropertyId.WillDelayInterval, p.WillDelayInterval, context);
        BoolProp(ref sink, MqttPropertyId.RequestResponseInformation, p.RequestResponseInformation, context);
        StringProp(ref sink, MqttPropertyId.ResponseInformation, p.ResponseInformation, context);
        StringProp(ref sink, MqttPropertyId.ServerReference, p.ServerReference, context);
        StringProp(ref sink, MqttPropertyId.ReasonString, p.ReasonString, context);
        ShortProp(ref sink, MqttPropertyId.ReceiveMaximum, p.ReceiveMaximum, context);
        ShortProp(ref sink, MqttPropertyId.TopicAliasMaximum, p.TopicAliasMaximum, context);
        ByteProp(ref sink, MqttPropertyId.MaximumQoS, (byte?)p.MaximumQoS, context);
        BoolProp(ref sink, MqttPropertyId.RetainAvailable, p.RetainAvailable, context);
        IntProp(ref sink, MqttPropertyId.MaximumPacketSize, p.MaximumPacketSize, context);
        BoolProp(ref sink, MqttPropertyId.WildcardSubscriptionAvailable, p.WildcardSubscriptionAvailable, context);
        BoolProp(ref sink, MqttPropertyId.SubscriptionIdentifierAvailable, p.SubscriptionIdentifierAvailable, context);
        BoolProp(ref sink, MqttPropertyId.SharedSubscriptionAvailable, p.SharedSubscriptionAvailable, context);
        if (MqttPropertyTable.IsAllowed(MqttPropertyId.UserProperty, context))
        {
            UserProperties(ref sink, p.UserProperties);
        }
    }

    private static void ByteProp<TSink>(ref TSink sink, MqttPropertyId id, byte? value, int context)
        where TSink : IMqttSink, allows ref struct
    {
        if (value is { } v && MqttPropertyTable.IsAllowed(id, context))
        {
            sink.Byte((byte)id);
            sink.Byte(v);
        }
    }

    private static void BoolProp<TSink>(ref TSink sink, MqttPropertyId id, bool? value, int context)
        where TSink : IMqttSink, allows ref struct =>
        ByteProp(ref sink, id, value is null ? null : value.Value ? (byte)1 : (byte)0, context);

    private static void ShortProp<TSink>(ref TSink sink, MqttPropertyId id, ushort? value, int context)
        where TSink : IMqttSink, allows ref struct
    {
        if (value is { } v && MqttPropertyTable.IsAllowed(id, context))
        {
            sink.Byte((byte)id);
            sink.UInt16(v);
        }
    }

    private static void IntProp<TSink>(ref TSink sink, MqttPropertyId id, uint? value, int context)
        where TSink : IMqttSink, allows ref struct
    {
        if (value is { } v && MqttPropertyTable.IsAllowed(id, context))
        {
            sink.Byte((byte)id);
            sink.UInt32(v);
        }
    }

    private static void StringProp<TSink>(ref TSink sink, MqttPropertyId id, string? value, int context)
        where TSink : IMqttSink, allows ref struct
    {
        if (value is not null && MqttPropertyTable.IsAllowed(id, context))
        {
            sink.Byte((byte)id);
            sink.String(value);
        }
    }

    private static void BinaryProp<TSink>(ref TSink sink, MqttPropertyId id, byte[]? value, int context)
        where TSink : IMqttSink, allows ref struct
    {
        if (value is not null && MqttPropertyTable.IsAllowed(id, context))
        {
            sink.Byte((byte)id);
            BinaryData(ref sink, value);
        }
    }
}
