using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Codec;

/// <summary>
/// Pure, non-throwing MQTT 3.1.1 / 5.0 packet decoder. Reads at most one packet from the start of a buffer.
/// <para>PUBLISH and PUBACK/PUBREC/PUBREL/PUBCOMP decode without allocating: their topic, payload and binary properties
/// are slices of <c>buffer</c>, valid only until the caller advances the pipe past <c>consumed</c>. Other packets are
/// materialised as classes with copied strings/arrays.</para>
/// <para>The decoder is direction-agnostic (it decodes what either side may send) and stateless: session rules
/// (first packet CONNECT aside, topic alias ranges, receive maximum, a second CONNECT...) belong to the caller.</para>
/// </summary>
public static class MqttDecoder
{
    private static readonly byte[] MqttName = "MQTT"u8.ToArray();
    private static readonly byte[] MqIsdpName = "MQIsdp"u8.ToArray();

    /// <summary>
    /// Tries to decode one packet from the start of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">Received bytes.</param>
    /// <param name="version">The connection's protocol version; <see cref="MqttProtocolVersion.Unknown"/> before CONNECT
    /// (then only CONNECT is accepted). CONNECT is always decoded with the level it carries.</param>
    /// <param name="maximumPacketSize">Largest total packet size (fixed header included) accepted; checked as soon as the
    /// fixed header is complete, before the body is buffered. Zero or negative means no limit beyond the protocol's.</param>
    /// <param name="consumed">On <see cref="DecodeStatus.Packet"/>, the end of the packet; otherwise <c>buffer.Start</c>.</param>
    /// <param name="examined">On <see cref="DecodeStatus.Packet"/>, the end of the packet; otherwise <c>buffer.End</c>.</param>
    /// <param name="packet">The decoded packet, or default.</param>
    public static DecodeResult TryRead(
        in ReadOnlySequence<byte> buffer,
        MqttProtocolVersion version,
        int maximumPacketSize,
        out SequencePosition consumed,
        out SequencePosition examined,
        out MqttPacket packet)
    {
        var result = TryReadCore(buffer, version, maximumPacketSize, out consumed, out examined, out packet);
        if (result.Status != DecodeStatus.Packet)
        {
            packet = default;
        }

        return result;
    }

    /// <summary>As <see cref="TryRead"/>, but <paramref name="packet"/> is only written on success (saves zeroing a large struct).</summary>
    private static DecodeResult TryReadCore(
        in ReadOnlySequence<byte> buffer,
        MqttProtocolVersion version,
        int maximumPacketSize,
        out SequencePosition consumed,
        out SequencePosition examined,
        out MqttPacket packet)
    {
        consumed = buffer.Start;
        examined = buffer.End;
        Unsafe.SkipInit(out packet);

        // Fixed header: first byte, then the Remaining Length (3.1.1 §2.2, 5.0 §2.1.1). Fast path reads it from the first span.
        int first;
        int headerLength;
        uint remaining;
        var span = buffer.FirstSpan;
        if (span.Length >= 2 && span[1] < 0x80)
        {
            first = span[0];
            remaining = span[1];
            headerLength = 2;
        }
        else
        {
            var header = ReadFixedHeader(buffer, version, out first, out remaining, out headerLength);
            if (header.Status != DecodeStatus.Packet)
            {
                return header;
            }
        }

        var type = (MqttPacketType)(first >> 4);
        var flags = first & 0x0F;
        var check = CheckFixedHeader(type, flags, version);
        if (check.IsError)
        {
            return check;
        }

        // Oversize is rejected from the fixed header alone, before waiting for the body (5.0 §3.1.2.11.4 [MQTT-3.2.2-15],
        // 5.0 §4.13; Maximum Packet Size counts the whole packet including the fixed header).
        var total = headerLength + (long)remaining;
        if (maximumPacketSize > 0 && total > maximumPacketSize)
        {
            return DecodeResult.Fail(MqttReasonCode.PacketTooLarge, "Packet exceeds the maximum packet size.");
        }

        if (buffer.Length < total)
        {
            return DecodeResult.NeedMoreData;
        }

        // Fast paths for the hot packets when the whole packet sits in the first segment (the usual pipe case). They
        // only ever accept fully valid, property-less packets; anything else falls through to the general decoder, so
        // verdicts and reason codes are identical either way (the tests decode every vector both ways).
        if (span.Length >= total)
        {
            if (type is MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp && remaining == 2)
            {
                var ackId = BinaryPrimitives.ReadUInt16BigEndian(span.Slice(headerLength, 2));
                if (ackId != 0)
                {
                    packet = new MqttPacket(new AckPacket(type, ackId));
                    consumed = examined = buffer.GetPosition(total);
                    return DecodeResult.Ok;
                }
            }
            else if (type == MqttPacketType.Publish && TryDecodePublishSpan(buffer, span[..(int)total], headerLength, flags, version, out packet))
            {
                consumed = examined = buffer.GetPosition(total);
                return DecodeResult.Ok;
            }
        }

        var body = buffer.Slice(headerLength, remaining);
        var result = DecodeBody(type, flags, version, body, out packet);
        if (result.Status == DecodeStatus.Packet)
        {
            consumed = body.End;
            examined = body.End;
        }

        return result;
    }

    /// <summary>Slow path for the fixed header: multi-byte Remaining Length or a first segment shorter than 2 bytes.</summary>
    private static DecodeResult ReadFixedHeader(in ReadOnlySequence<byte> buffer, MqttProtocolVersion version, out int first, out uint remaining, out int headerLength)
    {
        first = 0;
        remaining = 0;
        headerLength = 0;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var b0))
        {
            return DecodeResult.NeedMoreData;
        }

        first = b0;
        var multiplier = 0;
        for (var i = 0; ; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return DecodeResult.NeedMoreData;
            }

            remaining |= (uint)(b & 0x7F) << multiplier;
            multiplier += 7;
            if ((b & 0x80) == 0)
            {
                // 5.0 §1.5.5 [MQTT-1.5.5-1]: minimum number of bytes, so a trailing 0x00 after a continuation is malformed.
                // 3.1.1 does not state this rule, so it is only enforced on 5.0 connections.
                if (i > 0 && b == 0 && version == MqttProtocolVersion.V500)
                {
                    return DecodeResult.Fail(MqttReasonCode.MalformedPacket, "Remaining Length is not minimally encoded.");
                }

                headerLength = i + 2;
                return DecodeResult.Ok;
            }

            if (i == 3)
            {
                // 3.1.1 §2.2.3 / 5.0 §1.5.5: at most four bytes.
                return DecodeResult.Fail(MqttReasonCode.MalformedPacket, "Remaining Length longer than 4 bytes.");
            }
        }
    }

    /// <summary>Fixed header flag rules (3.1.1 §2.2.2 table 2.2, 5.0 §2.1.3 table 2-2) and packet type validity.</summary>
    private static DecodeResult CheckFixedHeader(MqttPacketType type, int flags, MqttProtocolVersion version)
    {
        // 3.1.1 §2.2.1 / 5.0 §2.1.2: type 0 is reserved; type 15 is reserved in 3.1.1 and AUTH in 5.0.
        if (type == 0 || (type == MqttPacketType.Auth && version is MqttProtocolVersion.V311 or MqttProtocolVersion.V310))
        {
            return DecodeResult.Fail(MqttReasonCode.MalformedPacket, "Reserved control packet type.");
        }

        // 3.1.1 §3.1 [MQTT-3.1.0-1] / 5.0 §3.1 [MQTT-3.1.0-1]: the first packet from the client must be CONNECT.
        if (version == MqttProtocolVersion.Unknown && type != MqttPacketType.Connect)
        {
            return DecodeResult.Fail(MqttReasonCode.ProtocolError, "First packet must be CONNECT.");
        }

        switch (type)
        {
            case MqttPacketType.Publish:
                var qos = (flags >> 1) & 3;
                if (qos == 3)
                {
                    // 3.1.1 §3.3.1.2 [MQTT-3.3.1-4] / 5.0 §3.3.1.2 [MQTT-3.3.1-4]: both QoS bits set is malformed.
                    return DecodeResult.Fail(MqttReasonCode.MalformedPacket, "PUBLISH QoS 3.");
                }

                if (qos == 0 && (flags & 0x08) != 0)
                {
                    // 3.1.1 §3.3.1.1 [MQTT-3.3.1-2] / 5.0 §3.3.1.1 [MQTT-3.3.1-2]: DUP must be 0 for QoS 0.
                    return DecodeResult.Fail(MqttReasonCode.MalformedPacket, "PUBLISH DUP set with QoS 0.");
                }

                return DecodeResult.Ok;

            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                // 3.1.1 [MQTT-3.6.1-1], [MQTT-3.8.1-1], [MQTT-3.10.1-1] / 5.0 §2.1.3: flags must be 0010.
                return flags == 0b0010 ? DecodeResult.Ok : DecodeResult.Fail(MqttReasonCode.MalformedPacket, "Invalid fixed header flags (expected 0010).");

            default:
                // 3.1.1 §2.2.2 [MQTT-2.2.2-2] / 5.0 §2.1.3 [MQTT-2.1.3-1]: reserved flags must be 0000.
                return flags == 0 ? DecodeResult.Ok : DecodeResult.Fail(MqttReasonCode.MalformedPacket, "Invalid fixed header flags (expected 0000).");
        }
    }

    private static DecodeResult DecodeBody(MqttPacketType type, int flags, MqttProtocolVersion version, in ReadOnlySequence<byte> body, out MqttPacket packet)
    {
        packet = default;
        var reader = new SequenceReader<byte>(body);
        switch (type)
        {
            case MqttPacketType.Publish:
                return DecodePublish(ref reader, flags, version, out packet);
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp:
                return DecodeAck(ref reader, type, version, out packet);
            case MqttPacketType.Connect:
                return DecodeConnect(ref reader, out packet);
            case MqttPacketType.ConnAck:
                return DecodeConnAck(ref reader, version, out packet);
            case MqttPacketType.Subscribe:
                return DecodeSubscribe(ref reader, version, out packet);
            case MqttPacketType.SubAck:
                return DecodeSubAck(ref reader, version, out packet);
            case MqttPacketType.Unsubscribe:
                return DecodeUnsubscribe(ref reader, version, out packet);
            case MqttPacketType.UnsubAck:
                return DecodeUnsubAck(ref reader, version, out packet);
            case MqttPacketType.PingReq or MqttPacketType.PingResp:
                // 3.1.1 §3.12/§3.13, 5.0 §3.12/§3.13: no variable header, no payload.
                if (reader.Remaining != 0)
                {
                    return Malformed("PINGREQ/PINGRESP with a non-zero Remaining Length.");
                }

                packet = type == MqttPacketType.PingReq ? MqttPacket.PingReq : MqttPacket.PingResp;
                return DecodeResult.Ok;
            case MqttPacketType.Disconnect:
                return DecodeDisconnectOrAuth(ref reader, type, version, out packet);
            case MqttPacketType.Auth:
                return DecodeDisconnectOrAuth(ref reader, type, version, out packet);
            default:
                return Malformed("Reserved control packet type.");
        }
    }

    // ---------------------------------------------------------------- PUBLISH (3.1.1 §3.3, 5.0 §3.3)

    private static DecodeResult DecodePublish(ref SequenceReader<byte> reader, int flags, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        var qos = (MqttQualityOfService)((flags >> 1) & 3);

        // 3.1.1 §3.3.2.1 / 5.0 §3.3.2.1: Topic Name is a UTF-8 Encoded String.
        if (!TryReadBinary(ref reader, out var topic))
        {
            return Malformed("PUBLISH truncated in the Topic Name.");
        }

        var topicCheck = CheckTopicName(topic);
        if (topicCheck.IsError)
        {
            return topicCheck;
        }

        ushort packetId = 0;
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            if (!TryReadUInt16(ref reader, out packetId))
            {
                return Malformed("PUBLISH truncated in the Packet Identifier.");
            }

            // 3.1.1 §2.3.1 [MQTT-2.3.1-1] / 5.0 §2.2.1 [MQTT-2.2.1-3]: QoS > 0 needs a non-zero Packet Identifier.
            if (packetId == 0)
            {
                return Fail(MqttReasonCode.ProtocolError, "PUBLISH QoS > 0 with Packet Identifier 0.");
            }
        }

        MqttPayloadFormat? payloadFormat = null;
        uint? messageExpiry = null;
        ushort topicAlias = 0;
        ReadOnlySequence<byte>? responseTopic = null;
        ReadOnlySequence<byte>? correlationData = null;
        ReadOnlySequence<byte>? contentType = null;
        List<uint>? subscriptionIds = null;
        List<MqttUserProperty>? userProperties = null;

        if (version == MqttProtocolVersion.V500)
        {
            var propsResult = ReadPropertyBlock(ref reader, out var propsReader);
            if (propsResult.IsError)
            {
                return propsResult;
            }

            ulong seen = 0;
            while (!propsReader.End)
            {
                var r = ReadProperty(ref propsReader, (int)MqttPacketType.Publish, ref seen, out var p);
                if (r.IsError)
                {
                    return r;
                }

                switch (p.Id)
                {
                    case MqttPropertyId.PayloadFormatIndicator:
                        payloadFormat = (MqttPayloadFormat)p.Value;
                        break;
                    case MqttPropertyId.MessageExpiryInterval:
                        messageExpiry = p.Value;
                        break;
                    case MqttPropertyId.TopicAlias:
                        topicAlias = (ushort)p.Value;
                        break;
                    case MqttPropertyId.ResponseTopic:
                        responseTopic = p.Data;
                        break;
                    case MqttPropertyId.CorrelationData:
                        correlationData = p.Data;
                        break;
                    case MqttPropertyId.ContentType:
                        contentType = p.Data;
                        break;
                    case MqttPropertyId.SubscriptionIdentifier:
                        (subscriptionIds ??= []).Add(p.Value);
                        break;
                    case MqttPropertyId.UserProperty:
                        (userProperties ??= []).Add(new MqttUserProperty(Encoding.UTF8.GetString(p.Data), Encoding.UTF8.GetString(p.Data2)));
                        break;
                }
            }
        }

        if (topic.IsEmpty)
        {
            if (version != MqttProtocolVersion.V500)
            {
                // 3.1.1 §4.7.3 [MQTT-4.7.3-1]: topic names are at least one character long.
                return Fail(MqttReasonCode.TopicNameInvalid, "Empty PUBLISH Topic Name.");
            }

            if (topicAlias == 0)
            {
                // 5.0 §3.3.2.1: a zero length Topic Name without a Topic Alias is a Protocol Error.
                return Fail(MqttReasonCode.ProtocolError, "Empty PUBLISH Topic Name without a Topic Alias.");
            }
        }

        // 3.1.1 §3.3.3 / 5.0 §3.3.3: the payload is the rest of the packet, possibly empty.
        var payload = reader.UnreadSequence;
        packet = new MqttPacket(new PublishPacket
        {
            QoS = qos,
            Dup = (flags & 0x08) != 0,
            Retain = (flags & 0x01) != 0,
            PacketId = packetId,
            Topic = topic,
            Payload = payload,
            PayloadFormatIndicator = payloadFormat,
            MessageExpiryInterval = messageExpiry,
            TopicAlias = topicAlias,
            ResponseTopic = responseTopic,
            CorrelationData = correlationData,
            ContentType = contentType,
            SubscriptionIdentifiers = subscriptionIds,
            UserProperties = userProperties,
        });
        return DecodeResult.Ok;
    }

    /// <summary>
    /// Contiguous PUBLISH without properties: same rules as <see cref="DecodePublish"/> (topic UTF-8 and wildcards,
    /// 3.1.1 §4.7 / 5.0 §3.3.2.1; non-zero packet id, 5.0 §2.2.1), but returns false instead of an error.
    /// </summary>
    private static bool TryDecodePublishSpan(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> packetSpan, int headerLength, int flags, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        var body = packetSpan[headerLength..];
        if (body.Length < 2)
        {
            return false;
        }

        int topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        var position = 2 + topicLength;
        if (topicLength == 0 || body.Length < position)
        {
            return false;
        }

        var topic = body.Slice(2, topicLength);
        var qos = (MqttQualityOfService)((flags >> 1) & 3);
        ushort packetId = 0;
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            if (body.Length < position + 2)
            {
                return false;
            }

            packetId = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
            position += 2;
            if (packetId == 0)
            {
                return false;
            }
        }

        if (version == MqttProtocolVersion.V500)
        {
            // Only the empty property block (a single 0x00 Property Length) is handled here.
            if (body.Length <= position || body[position] != 0)
            {
                return false;
            }

            position++;
        }

        if (!MqttTopic.IsValidString(topic, rejectWildcards: true))
        {
            return false;
        }

        packet = new MqttPacket(new PublishPacket
        {
            QoS = qos,
            Dup = (flags & 0x08) != 0,
            Retain = (flags & 0x01) != 0,
            PacketId = packetId,
            Topic = buffer.Slice(headerLength + 2, topicLength),
            Payload = buffer.Slice(headerLength + position, body.Length - position),
        });
        return true;
    }

    private static DecodeResult CheckTopicName(in ReadOnlySequence<byte> topic)
    {
        // 3.1.1 §1.5.3 / 5.0 §1.5.4: ill-formed UTF-8, surrogates or U+0000 make the packet malformed.
        if (!MqttTopic.IsValidString(topic))
        {
            return Malformed("Topic Name is not a valid UTF-8 string.");
        }

        // 3.1.1 §4.7.1 / 5.0 §3.3.2.1 [MQTT-3.3.2-2]: the Topic Name in PUBLISH must not contain wildcards.
        if (ContainsWildcard(topic))
        {
            return Fail(MqttReasonCode.TopicNameInvalid, "Topic Name contains a wildcard.");
        }

        return DecodeResult.Ok;
    }

    private static bool ContainsWildcard(in ReadOnlySequence<byte> s)
    {
        if (s.IsSingleSegment)
        {
            return s.FirstSpan.IndexOfAny((byte)'+', (byte)'#') >= 0;
        }

        foreach (var segment in s)
        {
            if (segment.Span.IndexOfAny((byte)'+', (byte)'#') >= 0)
            {
                return true;
            }
        }

        return false;
    }

    // ---------------------------------------------------------------- PUBACK / PUBREC / PUBREL / PUBCOMP (5.0 §3.4-§3.7)

    private static DecodeResult DecodeAck(ref SequenceReader<byte> reader, MqttPacketType type, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        if (!TryReadUInt16(ref reader, out var packetId))
        {
            return Malformed("Acknowledgement truncated in the Packet Identifier.");
        }

        // 3.1.1 §2.3.1 / 5.0 §2.2.1: Packet Identifiers are non-zero, so an acknowledgement of 0 is invalid.
        if (packetId == 0)
        {
            return Fail(MqttReasonCode.ProtocolError, "Acknowledgement of Packet Identifier 0.");
        }

        var reasonCode = MqttReasonCode.Success;
        string? reasonString = null;
        List<MqttUserProperty>? userProperties = null;
        if (version != MqttProtocolVersion.V500)
        {
            // 3.1.1 §3.4.1, §3.5.1, §3.6.1, §3.7.1: Remaining Length is exactly 2.
            if (!reader.End)
            {
                return Malformed("Acknowledgement longer than 2 bytes in 3.1.1.");
            }
        }
        else if (!reader.End)
        {
            // 5.0 §3.4.2.1: the Reason Code may be omitted (Remaining Length 2) meaning Success.
            reader.TryRead(out var code);
            reasonCode = (MqttReasonCode)code;
            if (!MqttReasonCodes.IsAllowed(type, reasonCode))
            {
                return Malformed("Reason Code not valid for this acknowledgement.");
            }

            // 5.0 §3.4.2.2: with Remaining Length < 4 there is no Property Length.
            if (!reader.End)
            {
                var props = ReadSimpleProperties(ref reader, (int)type, ref reasonString, ref userProperties);
                if (props.IsError)
                {
                    return props;
                }

                if (!reader.End)
                {
                    return Malformed("Unexpected bytes after the acknowledgement properties.");
                }
            }
        }

        packet = new MqttPacket(new AckPacket(type, packetId, reasonCode) { ReasonString = reasonString, UserProperties = userProperties });
        return DecodeResult.Ok;
    }

    /// <summary>Property block that can hold only Reason String and User Property (acks).</summary>
    private static DecodeResult ReadSimpleProperties(ref SequenceReader<byte> reader, int context, ref string? reasonString, ref List<MqttUserProperty>? userProperties)
    {
        var result = ReadPropertyBlock(ref reader, out var propsReader);
        if (result.IsError)
        {
            return result;
        }

        ulong seen = 0;
        while (!propsReader.End)
        {
            var r = ReadProperty(ref propsReader, context, ref seen, out var p);
            if (r.IsError)
            {
                return r;
            }

            if (p.Id == MqttPropertyId.ReasonString)
            {
                reasonString = Encoding.UTF8.GetString(p.Data);
            }
            else if (p.Id == MqttPropertyId.UserProperty)
            {
                (userProperties ??= []).Add(new MqttUserProperty(Encoding.UTF8.GetString(p.Data), Encoding.UTF8.GetString(p.Data2)));
            }
        }

        return DecodeResult.Ok;
    }

    // ---------------------------------------------------------------- CONNECT (3.1.1 §3.1, 5.0 §3.1)

    private static DecodeResult DecodeConnect(ref SequenceReader<byte> reader, out MqttPacket packet)
    {
        packet = default;

        // 3.1.1 §3.1.2.1 / 5.0 §3.1.2.1: Protocol Name "MQTT" (or "MQIsdp" for 3.1), then the Protocol Level byte.
        if (!TryReadBinary(ref reader, out var name) || !reader.TryRead(out var level))
        {
            return Malformed("CONNECT truncated in the protocol name or level.");
        }

        var isMqtt = SequenceEquals(name, MqttName);
        var isMqIsdp = !isMqtt && SequenceEquals(name, MqIsdpName);
        if (!isMqtt && !isMqIsdp)
        {
            // 3.1.1 §3.1.2.1 [MQTT-3.1.2-1] / 5.0 §3.1.2.1 [MQTT-3.1.2-1]: wrong protocol name; the server may disconnect.
            return Fail(MqttReasonCode.ProtocolError, "Unknown protocol name.");
        }

        // 3.1.1 §3.1.2.2 [MQTT-3.1.2-2] / 5.0 §3.1.2.2: unsupported level gets CONNACK 0x84 (3.1.1 return code 1).
        var version = (MqttProtocolVersion)level;
        if ((isMqtt && version is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
            || (isMqIsdp && version != MqttProtocolVersion.V310))
        {
            return Fail(MqttReasonCode.UnsupportedProtocolVersion, "Unsupported protocol level.");
        }

        var result = DecodeConnectRest(ref reader, version, out var connect);
        if (result.IsError)
        {
            return result.WithConnectVersion(version);
        }

        packet = connect!;
        return result;
    }

    private static DecodeResult DecodeConnectRest(ref SequenceReader<byte> reader, MqttProtocolVersion version, out ConnectPacket? connect)
    {
        connect = null;
        if (!reader.TryRead(out var flags) || !TryReadUInt16(ref reader, out var keepAlive))
        {
            return Malformed("CONNECT truncated in the connect flags or keep alive.");
        }

        // 3.1.1 §3.1.2.3 [MQTT-3.1.2-3] / 5.0 §3.1.2.3 [MQTT-3.1.2-3]: reserved flag bit 0 must be 0.
        if ((flags & 0x01) != 0)
        {
            return Malformed("CONNECT reserved flag set.");
        }

        var cleanStart = (flags & 0x02) != 0;
        var willFlag = (flags & 0x04) != 0;
        var willQoS = (flags >> 3) & 3;
        var willRetain = (flags & 0x20) != 0;
        var passwordFlag = (flags & 0x40) != 0;
        var userNameFlag = (flags & 0x80) != 0;

        if (!willFlag && (willQoS != 0 || willRetain))
        {
            // 3.1.1 §3.1.2.6 [MQTT-3.1.2-13], §3.1.2.7 [MQTT-3.1.2-15] / 5.0 §3.1.2.6 [MQTT-3.1.2-11], §3.1.2.7 [MQTT-3.1.2-13]:
            // without a Will, Will QoS and Will Retain must be 0.
            return Malformed("Will QoS or Will Retain set without the Will Flag.");
        }

        if (willQoS == 3)
        {
            // 3.1.1 §3.1.2.6 [MQTT-3.1.2-14] / 5.0 §3.1.2.6 [MQTT-3.1.2-12]: Will QoS 3 is malformed.
            return Malformed("Will QoS 3.");
        }

        if (version != MqttProtocolVersion.V500 && passwordFlag && !userNameFlag)
        {
            // 3.1.1 §3.1.2.9 [MQTT-3.1.2-22]: no password without a user name (allowed in 5.0 §3.1.2.9).
            return Malformed("Password flag without User Name flag.");
        }

        var packet = new ConnectPacket { ProtocolVersion = version, CleanStart = cleanStart, KeepAlive = keepAlive };
        if (version == MqttProtocolVersion.V500)
        {
            var props = ReadClassProperties(ref reader, (int)MqttPacketType.Connect, out var properties);
            if (props.IsError)
            {
                return props;
            }

            packet.Properties = properties;
        }

        // 3.1.1 §3.1.3.1 / 5.0 §3.1.3.1: Client Identifier, a UTF-8 string, always present.
        if (!TryReadString(ref reader, out var clientId, out var clientIdError))
        {
            return clientIdError;
        }

        packet.ClientId = clientId;
        if (clientId.Length == 0)
        {
            if (version == MqttProtocolVersion.V310)
            {
                // MQTT 3.1 §3.1: the Client Identifier is 1 to 23 characters.
                return Fail(MqttReasonCode.ClientIdentifierNotValid, "Empty Client Identifier in MQTT 3.1.");
            }

            if (version == MqttProtocolVersion.V311 && !cleanStart)
            {
                // 3.1.1 §3.1.3.1 [MQTT-3.1.3-8]: zero-byte ClientId with CleanSession 0 gets return code 0x02.
                return Fail(MqttReasonCode.ClientIdentifierNotValid, "Empty Client Identifier with CleanSession 0.");
            }
        }

        if (willFlag)
        {
            var will = new MqttWill { Topic = "", QoS = (MqttQualityOfService)willQoS, Retain = willRetain };
            if (version == MqttProtocolVersion.V500)
            {
                // 5.0 §3.1.3.2: Will Properties.
                var props = ReadClassProperties(ref reader, MqttPropertyTable.WillContext, out var willProperties);
                if (props.IsError)
                {
                    return props;
                }

                will.Properties = willProperties;
            }

            // 3.1.1 §3.1.3.2 / 5.0 §3.1.3.3: Will Topic is a Topic Name (UTF-8, no wildcards, not empty).
            if (!TryReadBinary(ref reader, out var willTopic))
            {
                return Malformed("CONNECT truncated in the Will Topic.");
            }

            var topicCheck = CheckTopicName(willTopic);
            if (topicCheck.IsError)
            {
                return topicCheck;
            }

            if (willTopic.IsEmpty)
            {
                // 3.1.1 §4.7.3 [MQTT-4.7.3-1] / 5.0 §4.7.3 [MQTT-4.7.3-1]: topic names are at least one character.
                return Fail(MqttReasonCode.TopicNameInvalid, "Empty Will Topic.");
            }

            // 3.1.1 §3.1.3.3 / 5.0 §3.1.3.4: Will Payload is Binary Data.
            if (!TryReadBinary(ref reader, out var willPayload))
            {
                return Malformed("CONNECT truncated in the Will Payload.");
            }

            will.Topic = Encoding.UTF8.GetString(willTopic);
            will.Payload = willPayload.ToArray();
            packet.Will = will;
        }

        if (userNameFlag)
        {
            // 3.1.1 §3.1.3.4 / 5.0 §3.1.3.5: User Name, a UTF-8 string.
            if (!TryReadString(ref reader, out var userName, out var userNameError))
            {
                return userNameError;
            }

            packet.UserName = userName;
        }

        if (passwordFlag)
        {
            // 3.1.1 §3.1.3.5 / 5.0 §3.1.3.6: Password, Binary Data.
            if (!TryReadBinary(ref reader, out var password))
            {
                return Malformed("CONNECT truncated in the Password.");
            }

            packet.Password = password.ToArray();
        }

        // 5.0 §2.1.4 / 3.1.1 §2.2.3: the Remaining Length covers exactly the variable header and payload.
        if (!reader.End)
        {
            return Malformed("Unexpected bytes after the CONNECT payload.");
        }

        connect = packet;
        return DecodeResult.Ok;
    }

    // ---------------------------------------------------------------- CONNACK (3.1.1 §3.2, 5.0 §3.2)

    private static DecodeResult DecodeConnAck(ref SequenceReader<byte> reader, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        if (!reader.TryRead(out var ackFlags) || !reader.TryRead(out var code))
        {
            return Malformed("CONNACK truncated.");
        }

        // 3.1.1 §3.2.2.1 / 5.0 §3.2.2.1 [MQTT-3.2.2-1]: bits 7-1 of the Connect Acknowledge Flags are reserved, 0.
        if ((ackFlags & 0xFE) != 0)
        {
            return Malformed("CONNACK reserved flags set.");
        }

        MqttReasonCode reasonCode;
        if (version == MqttProtocolVersion.V500)
        {
            reasonCode = (MqttReasonCode)code;
            // 5.0 §3.2.2.2: only the listed CONNACK reason codes.
            if (!MqttReasonCodes.IsAllowed(MqttPacketType.ConnAck, reasonCode))
            {
                return Malformed("Invalid CONNACK reason code.");
            }
        }
        else
        {
            // 3.1.1 §3.2.2.3: return codes 6-255 are reserved.
            if (code > 5)
            {
                return Malformed("Reserved CONNACK return code.");
            }

            reasonCode = MqttReasonCodes.FromConnectReturnCode((MqttConnectReturnCode)code);
        }

        var sessionPresent = (ackFlags & 0x01) != 0;
        if (sessionPresent && reasonCode != MqttReasonCode.Success)
        {
            // 3.1.1 §3.2.2.2 [MQTT-3.2.2-4] / 5.0 §3.2.2.1.1 [MQTT-3.2.2-6]: a refused connection has Session Present 0.
            return Fail(MqttReasonCode.ProtocolError, "Session Present set with a non-zero reason code.");
        }

        var connAck = new ConnAckPacket { SessionPresent = sessionPresent, ReasonCode = reasonCode };
        if (version == MqttProtocolVersion.V500)
        {
            var props = ReadClassProperties(ref reader, (int)MqttPacketType.ConnAck, out var properties);
            if (props.IsError)
            {
                return props;
            }

            connAck.Properties = properties;
        }

        if (!reader.End)
        {
            return Malformed("Unexpected bytes after CONNACK.");
        }

        packet = connAck;
        return DecodeResult.Ok;
    }

    // ---------------------------------------------------------------- SUBSCRIBE / SUBACK (3.1.1 §3.8-§3.9, 5.0 §3.8-§3.9)

    private static DecodeResult DecodeSubscribe(ref SequenceReader<byte> reader, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        var head = ReadPacketIdAndProperties(ref reader, version, MqttPacketType.Subscribe, out var packetId, out var properties);
        if (head.IsError)
        {
            return head;
        }

        var subscribe = new SubscribePacket { PacketId = packetId, Properties = properties };
        while (!reader.End)
        {
            if (!TryReadString(ref reader, out var filter, out var error))
            {
                return error;
            }

            if (!reader.TryRead(out var options))
            {
                return Malformed("SUBSCRIBE truncated in the subscription options.");
            }

            MqttSubscriptionOptions parsed;
            if (version == MqttProtocolVersion.V500)
            {
                // 5.0 §3.8.3.1 [MQTT-3.8.3-5]: reserved bits 6-7 must be 0, else malformed.
                if ((options & 0xC0) != 0)
                {
                    return Malformed("SUBSCRIBE reserved option bits set.");
                }

                // 5.0 §3.8.3.1: Maximum QoS 3 and Retain Handling 3 are Protocol Errors.
                if ((options & 0x03) == 3)
                {
                    return Fail(MqttReasonCode.ProtocolError, "SUBSCRIBE QoS 3.");
                }

                if (((options >> 4) & 0x03) == 3)
                {
                    return Fail(MqttReasonCode.ProtocolError, "SUBSCRIBE Retain Handling 3.");
                }

                parsed = new MqttSubscriptionOptions(
                    (MqttQualityOfService)(options & 0x03),
                    (options & 0x04) != 0,
                    (options & 0x08) != 0,
                    (MqttRetainHandling)((options >> 4) & 0x03));
            }
            else
            {
                // 3.1.1 §3.8.3.1 [MQTT-3-8.3-4]: upper 6 bits reserved (0) and QoS 3 are malformed.
                if ((options & 0xFC) != 0 || options == 3)
                {
                    return Malformed("SUBSCRIBE requested QoS byte invalid.");
                }

                parsed = new MqttSubscriptionOptions((MqttQualityOfService)options);
            }

            // 5.0 §4.7 / 3.1.1 §4.7: topic filter syntax; 5.0 §4.8.2 shared subscription syntax.
            if (!MqttTopic.IsValidFilter(filter, version == MqttProtocolVersion.V500, out var isShared))
            {
                return Fail(MqttReasonCode.TopicFilterInvalid, "Invalid Topic Filter.");
            }

            if (isShared && parsed.NoLocal)
            {
                // 5.0 §3.8.3.1 [MQTT-3.8.3-4]: No Local on a Shared Subscription is a Protocol Error.
                return Fail(MqttReasonCode.ProtocolError, "No Local set on a shared subscription.");
            }

            subscribe.Subscriptions.Add(new MqttSubscription(filter, parsed));
        }

        // 3.1.1 §3.8.3 [MQTT-3.8.3-3] / 5.0 §3.8.3 [MQTT-3.8.3-2]: at least one topic filter.
        if (subscribe.Subscriptions.Count == 0)
        {
            return Fail(MqttReasonCode.ProtocolError, "SUBSCRIBE without topic filters.");
        }

        packet = subscribe;
        return DecodeResult.Ok;
    }

    private static DecodeResult DecodeSubAck(ref SequenceReader<byte> reader, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        var head = ReadPacketIdAndProperties(ref reader, version, MqttPacketType.SubAck, out var packetId, out var properties);
        if (head.IsError)
        {
            return head;
        }

        var subAck = new SubAckPacket { PacketId = packetId, Properties = properties };
        while (reader.TryRead(out var code))
        {
            var reasonCode = (MqttReasonCode)code;
            // 3.1.1 §3.9.3 [MQTT-3.9.3-2]: only 0x00, 0x01, 0x02, 0x80. 5.0 §3.9.3: the SUBACK reason code table.
            var valid = version == MqttProtocolVersion.V500 ? MqttReasonCodes.IsAllowed(MqttPacketType.SubAck, reasonCode) : MqttReasonCodes.IsValidV311SubAck(reasonCode);
            if (!valid)
            {
                return Malformed("Invalid SUBACK return/reason code.");
            }

            subAck.ReasonCodes.Add(reasonCode);
        }

        // 3.1.1 §3.9.3 / 5.0 §3.9.3: one code per topic filter of the SUBSCRIBE, which has at least one.
        if (subAck.ReasonCodes.Count == 0)
        {
            return Fail(MqttReasonCode.ProtocolError, "SUBACK without reason codes.");
        }

        packet = subAck;
        return DecodeResult.Ok;
    }

    // ---------------------------------------------------------------- UNSUBSCRIBE / UNSUBACK (3.1.1 §3.10-§3.11, 5.0 §3.10-§3.11)

    private static DecodeResult DecodeUnsubscribe(ref SequenceReader<byte> reader, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        var head = ReadPacketIdAndProperties(ref reader, version, MqttPacketType.Unsubscribe, out var packetId, out var properties);
        if (head.IsError)
        {
            return head;
        }

        var unsubscribe = new UnsubscribePacket { PacketId = packetId, Properties = properties };
        while (!reader.End)
        {
            if (!TryReadString(ref reader, out var filter, out var error))
            {
                return error;
            }

            if (!MqttTopic.IsValidFilter(filter, version == MqttProtocolVersion.V500, out _))
            {
                return Fail(MqttReasonCode.TopicFilterInvalid, "Invalid Topic Filter.");
            }

            unsubscribe.TopicFilters.Add(filter);
        }

        // 3.1.1 §3.10.3 [MQTT-3.10.3-2] / 5.0 §3.10.3 [MQTT-3.10.3-2]: at least one topic filter.
        if (unsubscribe.TopicFilters.Count == 0)
        {
            return Fail(MqttReasonCode.ProtocolError, "UNSUBSCRIBE without topic filters.");
        }

        packet = unsubscribe;
        return DecodeResult.Ok;
    }

    private static DecodeResult DecodeUnsubAck(ref SequenceReader<byte> reader, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        var head = ReadPacketIdAndProperties(ref reader, version, MqttPacketType.UnsubAck, out var packetId, out var properties);
        if (head.IsError)
        {
            return head;
        }

        var unsubAck = new UnsubAckPacket { PacketId = packetId, Properties = properties };
        if (version != MqttProtocolVersion.V500)
        {
            // 3.1.1 §3.11.1: Remaining Length is exactly 2; no payload.
            if (!reader.End)
            {
                return Malformed("UNSUBACK longer than 2 bytes in 3.1.1.");
            }
        }
        else
        {
            while (reader.TryRead(out var code))
            {
                // 5.0 §3.11.3: the UNSUBACK reason code table.
                if (!MqttReasonCodes.IsAllowed(MqttPacketType.UnsubAck, (MqttReasonCode)code))
                {
                    return Malformed("Invalid UNSUBACK reason code.");
                }

                unsubAck.ReasonCodes.Add((MqttReasonCode)code);
            }

            if (unsubAck.ReasonCodes.Count == 0)
            {
                return Fail(MqttReasonCode.ProtocolError, "UNSUBACK without reason codes.");
            }
        }

        packet = unsubAck;
        return DecodeResult.Ok;
    }

    /// <summary>Packet Identifier (must be non-zero) then, in 5.0, the property block.</summary>
    private static DecodeResult ReadPacketIdAndProperties(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttPacketType type, out ushort packetId, out MqttProperties? properties)
    {
        properties = null;
        if (!TryReadUInt16(ref reader, out packetId))
        {
            return Malformed("Packet truncated in the Packet Identifier.");
        }

        // 3.1.1 §2.3.1 [MQTT-2.3.1-1] / 5.0 §2.2.1 [MQTT-2.2.1-3]: SUBSCRIBE/UNSUBSCRIBE (and their acks) carry a non-zero id.
        if (packetId == 0)
        {
            return Fail(MqttReasonCode.ProtocolError, "Packet Identifier 0.");
        }

        return version == MqttProtocolVersion.V500 ? ReadClassProperties(ref reader, (int)type, out properties) : DecodeResult.Ok;
    }

    // ---------------------------------------------------------------- DISCONNECT / AUTH (3.1.1 §3.14, 5.0 §3.14-§3.15)

    private static DecodeResult DecodeDisconnectOrAuth(ref SequenceReader<byte> reader, MqttPacketType type, MqttProtocolVersion version, out MqttPacket packet)
    {
        packet = default;
        var reasonCode = MqttReasonCode.Success;
        MqttProperties? properties = null;
        if (version != MqttProtocolVersion.V500)
        {
            // 3.1.1 §3.14.1: DISCONNECT has Remaining Length 0.
            if (!reader.End)
            {
                return Malformed("DISCONNECT with a non-zero Remaining Length in 3.1.1.");
            }
        }
        else if (reader.TryRead(out var code))
        {
            // 5.0 §3.14.2.1 / §3.15.2.1: Remaining Length 0 means Success; otherwise a listed reason code.
            reasonCode = (MqttReasonCode)code;
            if (!MqttReasonCodes.IsAllowed(type, reasonCode))
            {
                return Malformed("Reason Code not valid for this packet.");
            }

            // 5.0 §3.14.2.2: with Remaining Length < 2 the Property Length is 0.
            if (!reader.End)
            {
                var props = ReadClassProperties(ref reader, (int)type, out properties);
                if (props.IsError)
                {
                    return props;
                }

                if (!reader.End)
                {
                    return Malformed("Unexpected bytes after the properties.");
                }
            }

            // 5.0 §3.15.2.2.2: only a bare Success AUTH (Remaining Length 0) may omit the Authentication Method.
            if (type == MqttPacketType.Auth && properties?.AuthenticationMethod is null)
            {
                return Fail(MqttReasonCode.ProtocolError, "AUTH without an Authentication Method.");
            }
        }

        packet = type == MqttPacketType.Auth
            ? new AuthPacket { ReasonCode = reasonCode, Properties = properties }
            : new DisconnectPacket { ReasonCode = reasonCode, Properties = properties };
        return DecodeResult.Ok;
    }

    // ---------------------------------------------------------------- properties (5.0 §2.2.2)

    /// <summary>One decoded property. <see cref="Data"/>/<see cref="Data2"/> are slices of the input.</summary>
    private struct Property
    {
        public MqttPropertyId Id;
        public uint Value;
        public ReadOnlySequence<byte> Data;
        public ReadOnlySequence<byte> Data2;
    }

    /// <summary>Reads the Property Length (a Variable Byte Integer, 5.0 §2.2.2.1) and returns a reader over exactly that block.</summary>
    private static DecodeResult ReadPropertyBlock(ref SequenceReader<byte> reader, out SequenceReader<byte> block)
    {
        block = default;
        if (!TryReadVarInt(ref reader, out var length))
        {
            return Malformed("Invalid or truncated Property Length.");
        }

        if (length > reader.Remaining)
        {
            return Malformed("Property Length exceeds the packet.");
        }

        block = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, length));
        reader.Advance(length);
        return DecodeResult.Ok;
    }

    private static DecodeResult ReadProperty(ref SequenceReader<byte> reader, int context, ref ulong seen, out Property p)
    {
        p = default;

        // 5.0 §2.2.2.2: the identifier is a Variable Byte Integer; an identifier not valid for this packet type,
        // or a value not of the specified data type, is a Malformed Packet.
        if (!TryReadVarInt(ref reader, out var id))
        {
            return Malformed("Invalid property identifier.");
        }

        var kind = MqttPropertyTable.Lookup((uint)id, context);
        if (kind == PropertyKind.Invalid)
        {
            return Malformed("Property not valid for this packet type.");
        }

        p.Id = (MqttPropertyId)id;

        // 5.0 §2.2.2.2 and each property's definition: including it more than once is a Protocol Error, except User
        // Property, and Subscription Identifier in PUBLISH (5.0 §3.3.2.3.8; in SUBSCRIBE it is single, §3.8.2.1.2).
        var repeatable = p.Id == MqttPropertyId.UserProperty || (p.Id == MqttPropertyId.SubscriptionIdentifier && context == (int)MqttPacketType.Publish);
        if (!repeatable)
        {
            var bit = 1UL << (int)id;
            if ((seen & bit) != 0)
            {
                return Fail(MqttReasonCode.ProtocolError, "Duplicate property.");
            }

            seen |= bit;
        }

        switch (kind)
        {
            case PropertyKind.Byte:
                if (!reader.TryRead(out var b))
                {
                    return Malformed("Truncated property value.");
                }

                p.Value = b;
                // 5.0 §3.3.2.3.2, §3.1.2.11.6, §3.1.2.11.7, §3.2.2.3.4-§3.2.2.3.5, §3.2.2.3.11-§3.2.2.3.13: these byte
                // properties only take 0 or 1; anything else is a Protocol Error.
                if (b > 1)
                {
                    return Fail(MqttReasonCode.ProtocolError, "Byte property value other than 0 or 1.");
                }

                return DecodeResult.Ok;

            case PropertyKind.TwoByteInt:
                if (!TryReadUInt16(ref reader, out var u16))
                {
                    return Malformed("Truncated property value.");
                }

                p.Value = u16;
                if (u16 == 0)
                {
                    if (p.Id == MqttPropertyId.ReceiveMaximum)
                    {
                        // 5.0 §3.1.2.11.3 / §3.2.2.3.3: Receive Maximum 0 is a Protocol Error.
                        return Fail(MqttReasonCode.ProtocolError, "Receive Maximum 0.");
                    }

                    if (p.Id == MqttPropertyId.TopicAlias)
                    {
                        // 5.0 §3.3.2.3.4 [MQTT-3.3.2-8]: Topic Alias 0 is not permitted (Topic Alias invalid, 0x94).
                        return Fail(MqttReasonCode.TopicAliasInvalid, "Topic Alias 0.");
                    }
                }

                return DecodeResult.Ok;

            case PropertyKind.FourByteInt:
                if (!reader.TryReadBigEndian(out int i32))
                {
                    return Malformed("Truncated property value.");
                }

                p.Value = (uint)i32;
                if (p.Value == 0 && p.Id == MqttPropertyId.MaximumPacketSize)
                {
                    // 5.0 §3.1.2.11.4 / §3.2.2.3.6: Maximum Packet Size 0 is a Protocol Error.
                    return Fail(MqttReasonCode.ProtocolError, "Maximum Packet Size 0.");
                }

                return DecodeResult.Ok;

            case PropertyKind.VarInt:
                if (!TryReadVarInt(ref reader, out var v))
                {
                    return Malformed("Invalid Variable Byte Integer property.");
                }

                p.Value = (uint)v;
                if (v == 0)
                {
                    // 5.0 §3.3.2.3.8 / §3.8.2.1.2: Subscription Identifier 0 is a Protocol Error.
                    return Fail(MqttReasonCode.ProtocolError, "Subscription Identifier 0.");
                }

                return DecodeResult.Ok;

            case PropertyKind.Utf8String:
                if (!TryReadBinary(ref reader, out p.Data))
                {
                    return Malformed("Truncated property value.");
                }

                // 5.0 §1.5.4: UTF-8 Encoded String rules.
                if (!MqttTopic.IsValidString(p.Data))
                {
                    return Malformed("Property is not a valid UTF-8 string.");
                }

                if (p.Id == MqttPropertyId.ResponseTopic && (p.Data.IsEmpty || ContainsWildcard(p.Data)))
                {
                    // 5.0 §3.3.2.3.5 [MQTT-3.3.2-13], [MQTT-3.3.2-14]: Response Topic is a Topic Name without wildcards.
                    return Fail(MqttReasonCode.ProtocolError, "Response Topic is not a valid Topic Name.");
                }

                return DecodeResult.Ok;

            case PropertyKind.Binary:
                return TryReadBinary(ref reader, out p.Data) ? DecodeResult.Ok : Malformed("Truncated property value.");

            case PropertyKind.StringPair:
                // 5.0 §1.5.7 UTF-8 String Pair.
                if (!TryReadBinary(ref reader, out p.Data) || !TryReadBinary(ref reader, out p.Data2))
                {
                    return Malformed("Truncated User Property.");
                }

                return MqttTopic.IsValidString(p.Data) && MqttTopic.IsValidString(p.Data2)
                    ? DecodeResult.Ok
                    : Malformed("User Property is not a valid UTF-8 string pair.");

            default:
                return Malformed("Property not valid for this packet type.");
        }
    }

    /// <summary>Reads a property block into a (freshly allocated) <see cref="MqttProperties"/>; null when the block is empty.</summary>
    private static DecodeResult ReadClassProperties(ref SequenceReader<byte> reader, int context, out MqttProperties? properties)
    {
        properties = null;
        var result = ReadPropertyBlock(ref reader, out var block);
        if (result.IsError)
        {
            return result;
        }

        ulong seen = 0;
        while (!block.End)
        {
            var r = ReadProperty(ref block, context, ref seen, out var p);
            if (r.IsError)
            {
                return r;
            }

            properties ??= new MqttProperties();
            Apply(properties, p);
        }

        // 5.0 §3.1.2.11.10 / §3.2.2.3.17: Authentication Data without an Authentication Method is a Protocol Error.
        if (properties is { AuthenticationData: not null, AuthenticationMethod: null })
        {
            return Fail(MqttReasonCode.ProtocolError, "Authentication Data without an Authentication Method.");
        }

        return DecodeResult.Ok;
    }

    private static void Apply(MqttProperties props, in Property p)
    {
        switch (p.Id)
        {
            case MqttPropertyId.PayloadFormatIndicator: props.PayloadFormatIndicator = (MqttPayloadFormat)p.Value; break;
            case MqttPropertyId.MessageExpiryInterval: props.MessageExpiryInterval = p.Value; break;
            case MqttPropertyId.ContentType: props.ContentType = Encoding.UTF8.GetString(p.Data); break;
            case MqttPropertyId.ResponseTopic: props.ResponseTopic = Encoding.UTF8.GetString(p.Data); break;
            case MqttPropertyId.CorrelationData: props.CorrelationData = p.Data.ToArray(); break;
            case MqttPropertyId.SubscriptionIdentifier: props.SubscriptionIdentifier = p.Value; break;
            case MqttPropertyId.SessionExpiryInterval: props.SessionExpiryInterval = p.Value; break;
            case MqttPropertyId.AssignedClientIdentifier: props.AssignedClientIdentifier = Encoding.UTF8.GetString(p.Data); break;
            case MqttPropertyId.ServerKeepAlive: props.ServerKeepAlive = (ushort)p.Value; break;
            case MqttPropertyId.AuthenticationMethod: props.AuthenticationMethod = Encoding.UTF8.GetString(p.Data); break;
            case MqttPropertyId.AuthenticationData: props.AuthenticationData = p.Data.ToArray(); break;
            case MqttPropertyId.RequestProblemInformation: props.RequestProblemInformation = p.Value != 0; break;
            case MqttPropertyId.WillDelayInterval: props.WillDelayInterval = p.Value; break;
            case MqttPropertyId.RequestResponseInformation: props.RequestResponseInformation = p.Value != 0; break;
            case MqttPropertyId.ResponseInformation: props.ResponseInformation = Encoding.UTF8.GetString(p.Data); break;
            case MqttPropertyId.ServerReference: props.ServerReference = Encoding.UTF8.GetString(p.Data); break;
            case MqttPropertyId.ReasonString: props.ReasonString = Encoding.UTF8.GetString(p.Data); break;
            case MqttPropertyId.ReceiveMaximum: props.ReceiveMaximum = (ushort)p.Value; break;
            case MqttPropertyId.TopicAliasMaximum: props.TopicAliasMaximum = (ushort)p.Value; break;
            case MqttPropertyId.MaximumQoS: props.MaximumQoS = (MqttQualityOfService)p.Value; break;
            case MqttPropertyId.RetainAvailable: props.RetainAvailable = p.Value != 0; break;
            case MqttPropertyId.MaximumPacketSize: props.MaximumPacketSize = p.Value; break;
            case MqttPropertyId.WildcardSubscriptionAvailable: props.WildcardSubscriptionAvailable = p.Value != 0; break;
            case MqttPropertyId.SubscriptionIdentifierAvailable: props.SubscriptionIdentifierAvailable = p.Value != 0; break;
            case MqttPropertyId.SharedSubscriptionAvailable: props.SharedSubscriptionAvailable = p.Value != 0; break;
            case MqttPropertyId.UserProperty:
                (props.UserProperties ??= []).Add(new MqttUserProperty(Encoding.UTF8.GetString(p.Data), Encoding.UTF8.GetString(p.Data2)));
                break;
        }
    }

    // ---------------------------------------------------------------- primitives (5.0 §1.5)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadUInt16(ref SequenceReader<byte> reader, out ushort value)
    {
        if (reader.TryReadBigEndian(out short s))
        {
            value = (ushort)s;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>5.0 §1.5.5 Variable Byte Integer: at most 4 bytes and minimally encoded [MQTT-1.5.5-1].</summary>
    private static bool TryReadVarInt(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }

            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return i == 0 || b != 0;
            }
        }

        return false;
    }

    /// <summary>Two-byte length then that many bytes (5.0 §1.5.6 Binary Data; also the raw form of §1.5.4 strings).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadBinary(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        if (!TryReadUInt16(ref reader, out var length) || reader.Remaining < length)
        {
            data = default;
            return false;
        }

        var span = reader.UnreadSpan;
        data = span.Length >= length
            ? reader.Sequence.Slice(reader.Position, length)
            : reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        return true;
    }

    /// <summary>A validated UTF-8 Encoded String (3.1.1 §1.5.3 / 5.0 §1.5.4) materialised as a string.</summary>
    private static bool TryReadString(ref SequenceReader<byte> reader, out string value, out DecodeResult error)
    {
        value = "";
        if (!TryReadBinary(ref reader, out var data))
        {
            error = Malformed("Truncated UTF-8 string.");
            return false;
        }

        if (!MqttTopic.IsValidString(data))
        {
            error = Malformed("Invalid UTF-8 string.");
            return false;
        }

        value = Encoding.UTF8.GetString(data);
        error = DecodeResult.Ok;
        return true;
    }

    private static bool SequenceEquals(in ReadOnlySequence<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        if (a.IsSingleSegment)
        {
            return a.FirstSpan.SequenceEqual(b);
        }

        Span<byte> copy = stackalloc byte[b.Length];
        a.CopyTo(copy);
        return copy.SequenceEqual(b);
    }

    private static DecodeResult Malformed(string message) => DecodeResult.Fail(MqttReasonCode.MalformedPacket, message);

    private static DecodeResult Fail(MqttReasonCode code, string message) => DecodeResult.Fail(code, message);
}
