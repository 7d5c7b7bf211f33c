using System.Buffers;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Codec;

/// <summary>Every wire rule the decoder enforces, with the exact reason code it must report.</summary>
public class MalformedInputTests
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;
    private const MqttProtocolVersion None = MqttProtocolVersion.Unknown;
    private const MqttReasonCode Malformed = MqttReasonCode.MalformedPacket;
    private const MqttReasonCode Protocol = MqttReasonCode.ProtocolError;

    // CONNECT prefix "MQTT" level 4/5 (3.1.1 §3.1.2.1-2).
    private const string Mqtt4 = "0004 4D515454 04";
    private const string Mqtt5 = "0004 4D515454 05";

    public static TheoryData<string, string, MqttProtocolVersion, MqttReasonCode> Cases => new()
    {
        // ---- fixed header (3.1.1 §2.2, 5.0 §2.1)
        { "reserved packet type 0", "00 00", V5, Malformed },
        { "AUTH is reserved in 3.1.1", "F0 00", V3, Malformed },
        { "first packet is not CONNECT", "C0 00", None, Protocol },
        { "PUBLISH QoS 3", "36 03 0001 61", V5, Malformed },
        { "PUBLISH DUP with QoS 0", "38 03 0001 61", V3, Malformed },
        { "PUBREL flags 0000", "60 02 0001", V3, Malformed },
        { "SUBSCRIBE flags 0000", "80 06 0001 0001 61 00", V3, Malformed },
        { "UNSUBSCRIBE flags 0000", "A0 05 0001 0001 61", V3, Malformed },
        { "PUBACK flags 0001", "41 02 0001", V5, Malformed },
        { "PINGREQ flags 0001", "C1 00", V3, Malformed },
        { "CONNECT flags 0001", "11 0D " + Mqtt4 + " 02 003C 0001 63", None, Malformed },
        { "remaining length over 4 bytes", "30 FF FF FF FF 01", V3, Malformed },
        { "remaining length not minimal in 5.0", "C0 80 00", V5, Malformed },
        { "PINGREQ with a body", "C0 01 00", V3, Malformed },
        { "PINGRESP with a body", "D0 01 00", V5, Malformed },

        // ---- PUBLISH (3.1.1 §3.3, 5.0 §3.3)
        { "PUBLISH QoS 1 packet id 0", "32 05 0001 61 0000", V3, Protocol },
        { "PUBLISH QoS 2 packet id 0 (5.0)", "34 06 0001 61 0000 00", V5, Protocol },
        { "PUBLISH truncated packet id", "32 04 0001 61 00", V3, Malformed },
        { "PUBLISH topic with +", "30 05 0003 612B62", V3, MqttReasonCode.TopicNameInvalid },
        { "PUBLISH topic with #", "30 03 0001 23", V5, MqttReasonCode.TopicNameInvalid },
        { "PUBLISH empty topic in 3.1.1", "30 02 0000", V3, MqttReasonCode.TopicNameInvalid },
        { "PUBLISH empty topic without alias in 5.0", "30 03 0000 00", V5, Protocol },
        { "topic contains U+0000", "30 05 0003 610062", V3, Malformed },
        { "topic contains a UTF-16 surrogate", "30 05 0003 EDA080", V3, Malformed },
        { "topic has an overlong encoding", "30 04 0002 C0AF", V5, Malformed },
        { "topic has a truncated UTF-8 sequence", "30 03 0001 C3", V3, Malformed },
        { "topic length beyond the packet", "30 03 0005 61", V3, Malformed },
        { "Topic Alias 0", "30 07 0001 61 03 230000", V5, MqttReasonCode.TopicAliasInvalid },
        { "Subscription Identifier 0", "30 06 0001 61 02 0B00", V5, Protocol },
        { "duplicate Payload Format Indicator", "30 08 0001 61 04 0100 0100", V5, Protocol },
        { "duplicate Topic Alias", "30 0A 0001 61 06 230001 230002", V5, Protocol },
        { "PUBLISH with Session Expiry property", "30 09 0001 61 05 110000000A", V5, Malformed },
        { "unknown property identifier", "30 06 0001 61 02 7F00", V5, Malformed },
        { "Payload Format Indicator 2", "30 06 0001 61 02 0102", V5, Protocol },
        { "property length beyond the packet", "30 04 0001 61 05", V5, Malformed },
        { "property value truncated", "30 06 0001 61 02 0200", V5, Malformed },
        { "Response Topic with wildcard", "30 09 0001 61 05 080002232F", V5, Protocol },
        { "User Property with invalid UTF-8", "30 0B 0001 61 07 260001FF000161", V5, Malformed },

        // ---- PUBACK/PUBREC/PUBREL/PUBCOMP (3.1.1 §3.4-3.7, 5.0 §3.4-3.7)
        { "PUBACK packet id 0", "40 02 0000", V3, Protocol },
        { "PUBACK longer than 2 in 3.1.1", "40 03 0001 00", V3, Malformed },
        { "PUBACK truncated", "40 01 00", V5, Malformed },
        { "PUBACK reason 0x92 is not a PUBACK code", "40 03 0001 92", V5, Malformed },
        { "PUBREL reason 0x10 is not a PUBREL code", "62 03 0001 10", V5, Malformed },
        { "PUBCOMP reason 0x80 is not a PUBCOMP code", "70 03 0001 80", V5, Malformed },
        { "PUBREC with Topic Alias property", "50 07 0001 00 03 230001", V5, Malformed },
        { "PUBACK duplicate Reason String", "40 0C 0001 00 08 1F000161 1F000162", V5, Protocol },

        // ---- CONNECT (3.1.1 §3.1, 5.0 §3.1)
        { "CONNECT protocol name MQTX", "10 0D 0004 4D515458 04 02 003C 0001 63", None, Protocol },
        { "CONNECT level 6", "10 0D 0004 4D515454 06 02 003C 0001 63", None, MqttReasonCode.UnsupportedProtocolVersion },
        { "CONNECT MQTT level 3", "10 0D 0004 4D515454 03 02 003C 0001 63", None, MqttReasonCode.UnsupportedProtocolVersion },
        { "CONNECT MQIsdp level 4", "10 0F 0006 4D5149736470 04 02 003C 0001 63", None, MqttReasonCode.UnsupportedProtocolVersion },
        { "CONNECT reserved flag bit 0", "10 0D " + Mqtt4 + " 03 003C 0001 63", None, Malformed },
        { "Will QoS without Will Flag", "10 0D " + Mqtt4 + " 0A 003C 0001 63", None, Malformed },
        { "Will Retain without Will Flag", "10 0D " + Mqtt4 + " 22 003C 0001 63", None, Malformed },
        { "Will QoS 3", "10 0D " + Mqtt4 + " 1E 003C 0001 63", None, Malformed },
        { "password without user name in 3.1.1", "10 0D " + Mqtt4 + " 42 003C 0001 63", None, Malformed },
        { "empty client id without clean session in 3.1.1", "10 0C " + Mqtt4 + " 00 003C 0000", None, MqttReasonCode.ClientIdentifierNotValid },
        { "empty client id in 3.1", "10 0E 0006 4D5149736470 03 02 003C 0000", None, MqttReasonCode.ClientIdentifierNotValid },
        { "CONNECT trailing byte", "10 0E " + Mqtt4 + " 02 003C 0001 63 00", None, Malformed },
        { "CONNECT client id invalid UTF-8", "10 0D " + Mqtt4 + " 02 003C 0001 FF", None, Malformed },
        { "CONNECT truncated in keep alive", "10 08 " + Mqtt4 + " 02 00", None, Malformed },
        { "Will Topic with wildcard", "10 12 " + Mqtt4 + " 06 003C 0001 63 0001 23 0000", None, MqttReasonCode.TopicNameInvalid },
        { "empty Will Topic", "10 11 " + Mqtt4 + " 06 003C 0001 63 0000 0000", None, MqttReasonCode.TopicNameInvalid },
        { "Will Payload missing", "10 0F " + Mqtt4 + " 06 003C 0001 63 0001 61", None, Malformed },
        { "user name flag but no user name", "10 0D " + Mqtt4 + " 82 003C 0001 63", None, Malformed },
        { "Receive Maximum 0", "10 11 " + Mqtt5 + " 02 003C 03 210000 0001 63", None, Protocol },
        { "Maximum Packet Size 0", "10 13 " + Mqtt5 + " 02 003C 05 2700000000 0001 63", None, Protocol },
        { "Authentication Data without Method", "10 12 " + Mqtt5 + " 02 003C 04 160001AA 0001 63", None, Protocol },
        { "Request Problem Information 2", "10 10 " + Mqtt5 + " 02 003C 02 1702 0001 63", None, Protocol },
        { "Request Response Information 2", "10 10 " + Mqtt5 + " 02 003C 02 1902 0001 63", None, Protocol },
        { "Topic Alias in CONNECT", "10 11 " + Mqtt5 + " 02 003C 03 230001 0001 63", None, Malformed },
        { "Will Delay in CONNECT properties", "10 13 " + Mqtt5 + " 02 003C 05 1800000001 0001 63", None, Malformed },
        { "Session Expiry in Will properties", "10 19 " + Mqtt5 + " 06 003C 00 0001 63 05 1100000001 0001 61 0000", None, Malformed },
        { "duplicate Session Expiry", "10 18 " + Mqtt5 + " 02 003C 0A 1100000001 1100000002 0001 63", None, Protocol },

        // ---- CONNACK (3.1.1 §3.2, 5.0 §3.2)
        { "CONNACK reserved flags", "20 02 02 00", V3, Malformed },
        { "CONNACK Session Present with a refusal", "20 02 01 05", V3, Protocol },
        { "CONNACK 3.1.1 return code 6", "20 02 00 06", V3, Malformed },
        { "CONNACK 5.0 reason 0x10", "20 03 00 10 00", V5, Malformed },
        { "CONNACK Maximum QoS 2", "20 05 00 00 02 2402", V5, Protocol },
        { "CONNACK Retain Available 2", "20 05 00 00 02 2502", V5, Protocol },
        { "CONNACK missing property length", "20 02 00 00", V5, Malformed },

        // ---- SUBSCRIBE / SUBACK (3.1.1 §3.8-3.9, 5.0 §3.8-3.9)
        { "SUBSCRIBE without filters (3.1.1)", "82 02 0001", V3, Protocol },
        { "SUBSCRIBE without filters (5.0)", "82 03 0001 00", V5, Protocol },
        { "SUBSCRIBE packet id 0", "82 06 0000 0001 61 00", V3, Protocol },
        { "SUBSCRIBE 3.1.1 reserved option bits", "82 06 0001 0001 61 04", V3, Malformed },
        { "SUBSCRIBE 3.1.1 QoS 3", "82 06 0001 0001 61 03", V3, Malformed },
        { "SUBSCRIBE 5.0 reserved option bits", "82 07 0001 00 0001 61 40", V5, Malformed },
        { "SUBSCRIBE 5.0 QoS 3", "82 07 0001 00 0001 61 03", V5, Protocol },
        { "SUBSCRIBE 5.0 Retain Handling 3", "82 07 0001 00 0001 61 30", V5, Protocol },
        { "SUBSCRIBE filter a/#/b", "82 0A 0001 0005 612F232F62 00", V3, MqttReasonCode.TopicFilterInvalid },
        { "SUBSCRIBE filter a+", "82 07 0001 0002 612B 00", V3, MqttReasonCode.TopicFilterInvalid },
        { "SUBSCRIBE empty filter", "82 05 0001 0000 00", V3, MqttReasonCode.TopicFilterInvalid },
        { "SUBSCRIBE shared subscription with No Local", "82 10 0001 00 000A 2473686172652F672F61 04", V5, Protocol },
        { "SUBSCRIBE shared subscription empty share name", "82 0F 0001 00 0009 2473686172652F2F61 00", V5, MqttReasonCode.TopicFilterInvalid },
        { "SUBSCRIBE shared subscription without filter", "82 0E 0001 00 0008 2473686172652F67 00", V5, MqttReasonCode.TopicFilterInvalid },
        { "SUBSCRIBE duplicate Subscription Identifier", "82 0B 0001 04 0B01 0B02 0001 61 00", V5, Protocol },
        { "SUBSCRIBE Subscription Identifier 0", "82 09 0001 02 0B00 0001 61 00", V5, Protocol },
        { "SUBSCRIBE Topic Alias property", "82 0A 0001 03 230001 0001 61 00", V5, Malformed },
        { "SUBSCRIBE truncated options", "82 05 0001 0001 61", V3, Malformed },
        { "SUBACK 3.1.1 code 3", "90 03 0001 03", V3, Malformed },
        { "SUBACK 5.0 code 0x10", "90 04 0001 00 10", V5, Malformed },
        { "SUBACK without codes", "90 02 0001", V3, Protocol },

        // ---- UNSUBSCRIBE / UNSUBACK (3.1.1 §3.10-3.11, 5.0 §3.10-3.11)
        { "UNSUBSCRIBE without filters", "A2 02 0001", V3, Protocol },
        { "UNSUBSCRIBE packet id 0", "A2 05 0000 0001 61", V3, Protocol },
        { "UNSUBSCRIBE filter #/", "A2 06 0001 0002 232F", V3, MqttReasonCode.TopicFilterInvalid },
        { "UNSUBSCRIBE Subscription Identifier property", "A2 08 0001 02 0B01 0001 61", V5, Malformed },
        { "UNSUBACK longer than 2 in 3.1.1", "B0 03 0001 00", V3, Malformed },
        { "UNSUBACK 5.0 code 0x01", "B0 04 0001 00 01", V5, Malformed },
        { "UNSUBACK 5.0 without codes", "B0 03 0001 00", V5, Protocol },

        // ---- DISCONNECT / AUTH (3.1.1 §3.14, 5.0 §3.14-3.15)
        { "DISCONNECT with a body in 3.1.1", "E0 01 00", V3, Malformed },
        { "DISCONNECT reason 0x01", "E0 01 01", V5, Malformed },
        { "DISCONNECT Topic Alias property", "E0 05 00 03 230001", V5, Malformed },
        { "DISCONNECT property length beyond the packet", "E0 02 00 05", V5, Malformed },
        { "AUTH reason 0x01", "F0 01 01", V5, Malformed },
        { "AUTH without Authentication Method", "F0 02 18 00", V5, Protocol },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rejected_with_the_exact_reason_code(string rule, string hex, MqttProtocolVersion version, MqttReasonCode expected)
    {
        var bytes = Codec.Hex(hex);
        var result = Codec.Decode(bytes, version, out var packet);
        Assert.True(result.Status == DecodeStatus.Error, $"{rule}: {result}");
        Assert.Equal(expected, result.ReasonCode);
        Assert.NotNull(result.Message);
        Assert.Equal(default(MqttPacket).Type, packet.Type);

        // Same verdict when the bytes arrive one at a time.
        if (bytes.Length > 1)
        {
            var split = Codec.Decode(Segments.Bytewise(bytes), version, out _);
            Assert.Equal(DecodeStatus.Error, split.Status);
            Assert.Equal(expected, split.ReasonCode);
        }
    }

    [Fact]
    public void Failed_v5_connect_reports_its_level_for_the_connack()
    {
        var result = Codec.Decode(Codec.Hex("10 11 " + Mqtt5 + " 02 003C 03 210000 0001 63"), None, out _);
        Assert.Equal(MqttProtocolVersion.V500, result.ConnectVersion);

        var v311 = Codec.Decode(Codec.Hex("10 0C " + Mqtt4 + " 00 003C 0000"), None, out _);
        Assert.Equal(MqttProtocolVersion.V311, v311.ConnectVersion);
        Assert.Equal(MqttConnectReturnCode.IdentifierRejected, MqttReasonCodes.ToConnectReturnCode(v311.ReasonCode));

        var unsupported = Codec.Decode(Codec.Hex("10 0D 0004 4D515454 06 02 003C 0001 63"), None, out _);
        Assert.Equal(MqttProtocolVersion.Unknown, unsupported.ConnectVersion);
        Assert.Equal(MqttConnectReturnCode.UnacceptableProtocolVersion, MqttReasonCodes.ToConnectReturnCode(unsupported.ReasonCode));
    }

    [Theory]
    [InlineData("remaining length not minimal is tolerated in 3.1.1", "C0 80 00", MqttProtocolVersion.V311)]
    [InlineData("password without user name is fine in 5.0", "10 12 0004 4D515454 05 42 003C 00 0001 63 0002 7077", MqttProtocolVersion.Unknown)]
    [InlineData("empty client id with clean session in 3.1.1", "10 0C 0004 4D515454 04 02 003C 0000", MqttProtocolVersion.Unknown)]
    [InlineData("empty topic with alias in 5.0", "30 06 0000 03 230001", MqttProtocolVersion.V500)]
    [InlineData("repeated Subscription Identifier in PUBLISH", "30 08 0001 61 04 0B01 0B02", MqttProtocolVersion.V500)]
    [InlineData("shared subscription with a wildcard filter", "82 10 0001 00 000A 2473686172652F672F23 00", MqttProtocolVersion.V500)]
    [InlineData("$share is a plain filter in 3.1.1", "82 0A 0001 0005 2473686172 00", MqttProtocolVersion.V311)]
    [InlineData("DISCONNECT with only a reason code", "E0 01 04", MqttProtocolVersion.V500)]
    [InlineData("AUTH with no body", "F0 00", MqttProtocolVersion.V500)]
    [InlineData("non-character and control characters are tolerated", "30 06 0004 EFBFBF 01", MqttProtocolVersion.V311)]
    public void Accepted_edge_cases(string rule, string hex, MqttProtocolVersion version)
    {
        var result = Codec.Decode(Codec.Hex(hex), version, out _);
        Assert.True(result.Status == DecodeStatus.Packet, $"{rule}: {result}");
    }

    [Fact]
    public void Oversize_packet_is_rejected_from_the_fixed_header_alone()
    {
        // A PUBLISH announcing 1000 bytes of remaining length; only the 3-byte fixed header has arrived.
        var result = Codec.Decode(Codec.Hex("30 E807"), MqttProtocolVersion.V500, out _, maximumPacketSize: 100);
        Assert.Equal(DecodeStatus.Error, result.Status);
        Assert.Equal(MqttReasonCode.PacketTooLarge, result.ReasonCode);

        // Also when the header itself arrives split.
        var split = Codec.Decode(Segments.Split(Codec.Hex("30 E807"), 2), MqttProtocolVersion.V311, out _, maximumPacketSize: 100);
        Assert.Equal(MqttReasonCode.PacketTooLarge, split.ReasonCode);

        // Even before CONNECT is done: the server's limit applies to CONNECT too.
        var connect = Codec.Decode(Codec.Hex("10 FFFF7F"), MqttProtocolVersion.Unknown, out _, maximumPacketSize: 1 << 20);
        Assert.Equal(MqttReasonCode.PacketTooLarge, connect.ReasonCode);
    }

    [Fact]
    public void Packet_of_exactly_the_maximum_size_is_accepted()
    {
        var bytes = Codec.Encode(Samples.Get("publish-qos1"), MqttProtocolVersion.V500);
        Assert.Equal(DecodeStatus.Packet, Codec.Decode(bytes, MqttProtocolVersion.V500, out _, maximumPacketSize: bytes.Length).Status);
        Assert.Equal(MqttReasonCode.PacketTooLarge, Codec.Decode(bytes, MqttProtocolVersion.V500, out _, maximumPacketSize: bytes.Length - 1).ReasonCode);
    }

    [Fact]
    public void Multi_segment_strings_are_validated_like_contiguous_ones()
    {
        // A surrogate split across segments, and a long (pooled-buffer) topic with U+0000 at its end.
        var surrogate = Codec.Hex("30 05 0003 EDA080");
        for (var cut = 1; cut < surrogate.Length; cut++)
        {
            Assert.Equal(Malformed, Codec.Decode(Segments.Split(surrogate, cut), V3, out _).ReasonCode);
        }

        var topic = Enumerable.Repeat((byte)'a', 1000).ToArray();
        topic[^1] = 0;
        byte[] packet = [0x30, 0xEA, 0x07, 0x03, 0xE8, .. topic];
        Assert.Equal(Malformed, Codec.Decode(Segments.Split(packet, 500), V3, out _).ReasonCode);
        topic[^1] = (byte)'b';
        byte[] valid = [0x30, 0xEA, 0x07, 0x03, 0xE8, .. topic];
        Assert.Equal(DecodeStatus.Packet, Codec.Decode(Segments.Split(valid, 500), V3, out _).Status);
    }

    [Fact]
    public void Empty_buffer_needs_more_data()
    {
        var result = MqttDecoder.TryRead(ReadOnlySequence<byte>.Empty, V5, 0, out var consumed, out var examined, out _);
        Assert.Equal(DecodeStatus.NeedMoreData, result.Status);
        Assert.Equal(ReadOnlySequence<byte>.Empty.Start, consumed);
        Assert.Equal(ReadOnlySequence<byte>.Empty.End, examined);
    }
}
