using System.Buffers;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Codec;

/// <summary>Byte vectors written by hand from the specifications, as real clients put them on the wire.</summary>
public class SpecVectorTests
{
    [Fact]
    public void Mosquitto_pub_v311_session_decodes_packet_by_packet()
    {
        // `mosquitto_pub -i mosq-pub-1 -t grid/test -m hello` (3.1.1, keep alive 60, clean session):
        // CONNECT (3.1.1 §3.1): 10 16 | 00 04 "MQTT" | 04 | flags 02 | keep alive 003C | 00 0A "mosq-pub-1"
        // PUBLISH QoS 0 (3.1.1 §3.3): 30 10 | 00 09 "grid/test" | "hello"
        // DISCONNECT (3.1.1 §3.14): E0 00
        var stream = Codec.Hex(
            "10 16 0004 4D515454 04 02 003C 000A 6D6F73712D7075622D31" +
            "30 10 0009 677269642F74657374 68656C6C6F" +
            "E0 00");
        var buffer = new ReadOnlySequence<byte>(stream);

        var r = MqttDecoder.TryRead(buffer, MqttProtocolVersion.Unknown, 0, out var consumed, out _, out var packet);
        Assert.Equal(DecodeStatus.Packet, r.Status);
        var connect = packet.Connect;
        Assert.Equal(MqttProtocolVersion.V311, connect.ProtocolVersion);
        Assert.Equal("mosq-pub-1", connect.ClientId);
        Assert.True(connect.CleanStart);
        Assert.Equal(60, connect.KeepAlive);
        Assert.Null(connect.Will);
        Assert.Null(connect.UserName);
        Assert.Null(connect.Password);
        Assert.Equal(24, buffer.Slice(0, consumed).Length);

        buffer = buffer.Slice(consumed);
        r = MqttDecoder.TryRead(buffer, connect.ProtocolVersion, 0, out consumed, out _, out packet);
        Assert.Equal(DecodeStatus.Packet, r.Status);
        Assert.Equal("grid/test", packet.Publish.GetTopicString());
        Assert.Equal("hello", Codec.Str(packet.Publish.Payload));
        Assert.Equal(MqttQualityOfService.AtMostOnce, packet.Publish.QoS);

        buffer = buffer.Slice(consumed);
        r = MqttDecoder.TryRead(buffer, connect.ProtocolVersion, 0, out consumed, out _, out packet);
        Assert.Equal(DecodeStatus.Packet, r.Status);
        Assert.Equal(MqttPacketType.Disconnect, packet.Type);
        Assert.Equal(0, buffer.Slice(consumed).Length);

        // And the encoder reproduces the CONNECT byte for byte.
        Assert.Equal(stream[..24], Codec.Encode(connect, MqttProtocolVersion.V311));
    }

    [Fact]
    public void V5_connect_with_session_expiry_user_and_password()
    {
        // 5.0 §3.1: 10 28 | 00 04 "MQTT" | 05 | flags C2 (user, password, clean start) | 003C |
        // properties 05: 11 00000078 (Session Expiry 120) | 00 0A "mosq-pub-1" | 00 04 "user" | 00 04 "pass"
        var bytes = Codec.Hex("10 28 0004 4D515454 05 C2 003C 05 1100000078 000A 6D6F73712D7075622D31 0004 75736572 0004 70617373");
        var connect = Codec.DecodeOk(bytes, MqttProtocolVersion.Unknown).Connect;
        Assert.Equal(MqttProtocolVersion.V500, connect.ProtocolVersion);
        Assert.Equal(120u, connect.Properties!.SessionExpiryInterval);
        Assert.Equal("user", connect.UserName);
        Assert.Equal("pass"u8.ToArray(), connect.Password);
        Assert.Equal(bytes, Codec.Encode(connect, MqttProtocolVersion.V500));
    }

    [Fact]
    public void Mqtt31_mqisdp_connect_is_accepted()
    {
        // MQTT 3.1: 10 11 | 00 06 "MQIsdp" | 03 | 02 | 003C | 00 03 "abc"
        var bytes = Codec.Hex("10 11 0006 4D5149736470 03 02 003C 0003 616263");
        var connect = Codec.DecodeOk(bytes, MqttProtocolVersion.Unknown).Connect;
        Assert.Equal(MqttProtocolVersion.V310, connect.ProtocolVersion);
        Assert.Equal("abc", connect.ClientId);
        Assert.Equal(bytes, Codec.Encode(connect, MqttProtocolVersion.V310));
    }

    [Fact]
    public void V311_subscribe()
    {
        // 3.1.1 §3.8: 82 0A | packet id 0001 | 00 05 "a/b/c" | requested QoS 01
        var bytes = Codec.Hex("82 0A 0001 0005 612F622F63 01");
        var subscribe = Codec.DecodeOk(bytes, MqttProtocolVersion.V311).Subscribe;
        Assert.Equal(1, subscribe.PacketId);
        var sub = Assert.Single(subscribe.Subscriptions);
        Assert.Equal("a/b/c", sub.TopicFilter);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, sub.Options.QoS);
    }

    [Fact]
    public void V5_subscribe_options_byte()
    {
        // 5.0 §3.8.3.1: options 0x2D = Retain Handling 2, Retain As Published, No Local, QoS 1.
        var bytes = Codec.Hex("82 08 0001 00 0002 6162 2D");
        var sub = Assert.Single(Codec.DecodeOk(bytes, MqttProtocolVersion.V500).Subscribe.Subscriptions);
        Assert.Equal(new MqttSubscriptionOptions(MqttQualityOfService.AtLeastOnce, true, true, MqttRetainHandling.DoNotSend), sub.Options);
        Assert.Equal(0x2D, sub.Options.ToByte(MqttProtocolVersion.V500));
        Assert.Equal(0x01, sub.Options.ToByte(MqttProtocolVersion.V311));
    }

    [Fact]
    public void V5_puback_with_reason_string()
    {
        // 5.0 §3.4: 40 08 | 0005 | reason 10 (No matching subscribers) | properties 04: 1F 0001 "x"
        var bytes = Codec.Hex("40 08 0005 10 04 1F000178");
        var ack = Codec.DecodeOk(bytes, MqttProtocolVersion.V500).Ack;
        Assert.Equal(MqttPacketType.PubAck, ack.Type);
        Assert.Equal(5, ack.PacketId);
        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, ack.ReasonCode);
        Assert.Equal("x", ack.ReasonString);
        Assert.Equal(bytes, Codec.Encode(ack, MqttProtocolVersion.V500));
    }

    [Fact]
    public void V5_publish_with_message_expiry_and_topic_alias()
    {
        // 5.0 §3.3: 32 12 | 0003 "a/b" | 000A | properties 08: 02 0000003C, 23 0001 | "hi"
        var bytes = Codec.Hex("32 12 0003 612F62 000A 08 020000003C 230001 6869");
        var packet = Codec.DecodeOk(bytes, MqttProtocolVersion.V500);
        ref readonly var p = ref packet.Publish;
        Assert.Equal(10, p.PacketId);
        Assert.Equal(60u, p.MessageExpiryInterval);
        Assert.Equal(1, p.TopicAlias);
        Assert.Equal("hi", Codec.Str(p.Payload));
        Assert.Equal(bytes, Codec.Encode(packet, MqttProtocolVersion.V500));
    }

    [Fact]
    public void Remaining_length_examples_from_the_spec()
    {
        // 5.0 §1.5.5 table 1-1: boundaries of 1, 2, 3 and 4 byte encodings.
        (uint Value, string Hex)[] cases = [(0, "00"), (127, "7F"), (128, "8001"), (16_383, "FF7F"), (16_384, "808001"), (2_097_151, "FFFF7F"), (2_097_152, "80808001"), (268_435_455, "FFFFFF7F")];
        foreach (var (value, hex) in cases)
        {
            var buffer = new byte[4];
            var n = MqttVarInt.Write(buffer, value);
            Assert.Equal(Codec.Hex(hex), buffer[..n]);
            Assert.Equal(n, MqttVarInt.GetSize(value));
        }

        // 321 = 0xC1 0x02 (3.1.1 §2.2.3 worked example): a QoS 0 PUBLISH with a 316 byte payload.
        var packet = new PublishPacket { Topic = Codec.Bytes("t"), Payload = new ReadOnlySequence<byte>(new byte[318]) };
        var bytes = Codec.Encode(packet, MqttProtocolVersion.V311);
        Assert.Equal(Codec.Hex("30 C102"), bytes[..3]);
    }
}
