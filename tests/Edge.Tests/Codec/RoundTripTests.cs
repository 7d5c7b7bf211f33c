using System.Buffers;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Codec;

public class RoundTripTests
{
    public static TheoryData<string, MqttProtocolVersion> AllSamples => Samples.All();

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Encode_then_decode_whole_buffer_gives_the_same_packet(string name, MqttProtocolVersion version)
    {
        var packet = Samples.Get(name);
        var bytes = Codec.Encode(packet, version);

        var decoded = Codec.DecodeOk(bytes, version);

        Assert.Equal(packet.Type, decoded.Type);
        Assert.Equal(bytes, Codec.Encode(decoded, version));
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Decode_split_at_every_byte_boundary(string name, MqttProtocolVersion version)
    {
        var bytes = Codec.Encode(Samples.Get(name), version);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var result = Codec.Decode(Segments.Split(bytes, cut), version, out var decoded);
            Assert.True(result.Status == DecodeStatus.Packet, $"cut {cut}: {result}");
            Assert.Equal(bytes, Codec.Encode(decoded, version));
        }

        var bytewise = Codec.Decode(Segments.Bytewise(bytes), version, out var fromBytewise);
        Assert.True(bytewise.Status == DecodeStatus.Packet, bytewise.ToString());
        Assert.Equal(bytes, Codec.Encode(fromBytewise, version));
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Incomplete_buffer_needs_more_data_and_consumes_nothing(string name, MqttProtocolVersion version)
    {
        var bytes = Codec.Encode(Samples.Get(name), version);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            Assert.Equal(DecodeStatus.NeedMoreData, Codec.Decode(prefix, version, out _).Status);
            if (length > 1)
            {
                Assert.Equal(DecodeStatus.NeedMoreData, Codec.Decode(Segments.Bytewise(prefix), version, out _).Status);
            }
        }
    }

    [Fact]
    public void Consumed_points_at_the_next_packet()
    {
        var first = Codec.Encode(Samples.Get("publish-qos1"), MqttProtocolVersion.V500);
        var second = Codec.Encode(Samples.Get("puback"), MqttProtocolVersion.V500);
        var buffer = Segments.Split([.. first, .. second], first.Length - 3);

        var r1 = MqttDecoder.TryRead(buffer, MqttProtocolVersion.V500, 0, out var consumed, out var examined, out var p1);
        Assert.Equal(DecodeStatus.Packet, r1.Status);
        Assert.Equal(MqttPacketType.Publish, p1.Type);
        Assert.Equal(consumed, examined);

        var rest = buffer.Slice(consumed);
        Assert.Equal(second.Length, rest.Length);
        var r2 = MqttDecoder.TryRead(rest, MqttProtocolVersion.V500, 0, out consumed, out _, out var p2);
        Assert.Equal(DecodeStatus.Packet, r2.Status);
        Assert.Equal(MqttPacketType.PubAck, p2.Type);
        Assert.Equal(rest.End, consumed);
    }

    [Fact]
    public void Connect_is_decoded_before_the_version_is_known()
    {
        foreach (var version in new[] { MqttProtocolVersion.V310, MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var bytes = Codec.Encode(Samples.Get("connect-full"), version);
            var connect = Codec.DecodeOk(bytes, MqttProtocolVersion.Unknown).Connect;
            Assert.Equal(version, connect.ProtocolVersion);
            Assert.Equal("grid-meter-42", connect.ClientId);
        }
    }

    [Fact]
    public void Connect_v5_fields_survive_the_round_trip()
    {
        var bytes = Codec.Encode(Samples.Get("connect-full"), MqttProtocolVersion.V500);
        var c = Codec.DecodeOk(bytes, MqttProtocolVersion.Unknown).Connect;

        Assert.False(c.CleanStart);
        Assert.Equal(30, c.KeepAlive);
        Assert.Equal("operator", c.UserName);
        Assert.Equal(new byte[] { 1, 2, 3, 0, 255 }, c.Password);
        Assert.NotNull(c.Will);
        Assert.Equal("grid/meters/42/status", c.Will.Topic);
        Assert.Equal("offline"u8.ToArray(), c.Will.Payload);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, c.Will.QoS);
        Assert.True(c.Will.Retain);
        Assert.Equal(5u, c.Will.Properties!.WillDelayInterval);
        Assert.Equal(MqttPayloadFormat.Utf8, c.Will.Properties.PayloadFormatIndicator);
        Assert.Equal(3600u, c.Will.Properties.MessageExpiryInterval);
        Assert.Equal("text/plain", c.Will.Properties.ContentType);
        Assert.Equal("grid/replies", c.Will.Properties.ResponseTopic);
        Assert.Equal(new byte[] { 9, 8, 7 }, c.Will.Properties.CorrelationData);
        Assert.Equal([new MqttUserProperty("k", "v")], c.Will.Properties.UserProperties!);
        var p = c.Properties!;
        Assert.Equal(120u, p.SessionExpiryInterval);
        Assert.Equal((ushort)20, p.ReceiveMaximum);
        Assert.Equal(65536u, p.MaximumPacketSize);
        Assert.Equal((ushort)10, p.TopicAliasMaximum);
        Assert.True(p.RequestResponseInformation);
        Assert.False(p.RequestProblemInformation);
        Assert.Equal("SCRAM-SHA-1", p.AuthenticationMethod);
        Assert.Equal(new byte[] { 1, 2 }, p.AuthenticationData);
        // User properties keep their order and may repeat a name (5.0 §3.1.2.11.8).
        Assert.Equal([new MqttUserProperty("region", "nord"), new MqttUserProperty("region", "süd")], p.UserProperties!);
    }

    [Fact]
    public void Connack_v5_properties_survive_the_round_trip()
    {
        var bytes = Codec.Encode(Samples.Get("connack"), MqttProtocolVersion.V500);
        var c = Codec.DecodeOk(bytes, MqttProtocolVersion.V500).ConnAck;
        Assert.True(c.SessionPresent);
        var p = c.Properties!;
        Assert.Equal(60u, p.SessionExpiryInterval);
        Assert.Equal((ushort)100, p.ReceiveMaximum);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, p.MaximumQoS);
        Assert.False(p.RetainAvailable);
        Assert.Equal(1u << 20, p.MaximumPacketSize);
        Assert.Equal("auto-1", p.AssignedClientIdentifier);
        Assert.Equal((ushort)16, p.TopicAliasMaximum);
        Assert.Equal("welcome", p.ReasonString);
        Assert.True(p.WildcardSubscriptionAvailable);
        Assert.True(p.SubscriptionIdentifierAvailable);
        Assert.False(p.SharedSubscriptionAvailable);
        Assert.Equal((ushort)45, p.ServerKeepAlive);
        Assert.Equal("resp/", p.ResponseInformation);
        Assert.Equal("other:1883", p.ServerReference);
        Assert.Equal("m", p.AuthenticationMethod);
        Assert.Equal(new byte[] { 7 }, p.AuthenticationData);
    }

    [Fact]
    public void Publish_v5_properties_survive_the_round_trip()
    {
        var bytes = Codec.Encode(Samples.Get("publish-props"), MqttProtocolVersion.V500);
        var packet = Codec.DecodeOk(bytes, MqttProtocolVersion.V500);
        ref readonly var p = ref packet.Publish;
        Assert.Equal(MqttQualityOfService.AtLeastOnce, p.QoS);
        Assert.Equal(7, p.PacketId);
        Assert.Equal("grid/alarms", p.GetTopicString());
        Assert.Equal("{\"level\":3}", Codec.Str(p.Payload));
        Assert.Equal(MqttPayloadFormat.Utf8, p.PayloadFormatIndicator);
        Assert.Equal(30u, p.MessageExpiryInterval);
        Assert.Equal(3, p.TopicAlias);
        Assert.Equal("grid/alarms/ack", Codec.Str(p.ResponseTopic!.Value));
        Assert.Equal(new byte[] { 0, 1, 2 }, p.CorrelationData!.Value.ToArray());
        Assert.Equal("application/json", Codec.Str(p.ContentType!.Value));
        Assert.Equal([1u, 268_435_455u], p.SubscriptionIdentifiers!);
        Assert.Equal([new MqttUserProperty("x", "1"), new MqttUserProperty("x", "2")], p.UserProperties!);
    }

    [Fact]
    public void Publish_topic_and_payload_are_slices_of_the_input()
    {
        var bytes = Codec.Encode(Samples.Get("publish-qos1"), MqttProtocolVersion.V311);
        var memory = new ReadOnlyMemory<byte>(bytes);
        var packet = Codec.DecodeOk(bytes, MqttProtocolVersion.V311);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(packet.Publish.Payload.First, out var segment));
        Assert.Same(bytes, segment.Array);
        Assert.Equal(bytes.Length - 64, segment.Offset);
        Assert.Equal(memory.Length, bytes.Length);
    }

    [Fact]
    public void V311_encoding_omits_all_v5_fields()
    {
        // 3.1.1 PUBLISH QoS 1: no property length, so topic, packet id, payload only.
        var publish = Codec.Encode(Samples.Get("publish-props"), MqttProtocolVersion.V311);
        Assert.Equal(Codec.Hex("32 1A 000B"), publish[..4]);
        Assert.Equal(2 + 2 + 11 + 2 + 11, publish.Length);

        // 3.1.1 acks are always 2 bytes of remaining length, whatever the reason code or properties.
        Assert.Equal(Codec.Hex("50 02 012C"), Codec.Encode(Samples.Get("pubrec"), MqttProtocolVersion.V311));
        // 3.1.1 DISCONNECT has no reason code.
        Assert.Equal(Codec.Hex("E0 00"), Codec.Encode(Samples.Get("disconnect-reason"), MqttProtocolVersion.V311));
        // 3.1.1 UNSUBACK has no payload.
        Assert.Equal(Codec.Hex("B0 02 000B"), Codec.Encode(Samples.Get("unsuback"), MqttProtocolVersion.V311));
        // 3.1.1 CONNACK maps Not authorized (0x87) to return code 5.
        Assert.Equal(Codec.Hex("20 02 00 05"), Codec.Encode(Samples.Get("connack-refused"), MqttProtocolVersion.V311));
        // AUTH does not exist in 3.1.1.
        Assert.Throws<ArgumentException>(() => Codec.Encode(Samples.Get("auth"), MqttProtocolVersion.V311));
    }

    [Fact]
    public void Success_acks_use_the_short_form_in_v5()
    {
        Assert.Equal(Codec.Hex("40 02 0001"), Codec.Encode(Samples.Get("puback"), MqttProtocolVersion.V500));
        Assert.Equal(Codec.Hex("40 03 0002 10"), Codec.Encode(Samples.Get("puback-reason"), MqttProtocolVersion.V500));
        Assert.Equal(Codec.Hex("E0 00"), Codec.Encode(Samples.Get("disconnect"), MqttProtocolVersion.V500));
    }

    [Fact]
    public void Encoded_size_matches_a_multi_byte_remaining_length()
    {
        var payload = new byte[20_000];
        var multi = Segments.Split(payload, 100, 5000, 19_999);
        var packet = new PublishPacket { QoS = MqttQualityOfService.AtLeastOnce, PacketId = 5, Topic = Codec.Bytes("big"), Payload = multi };
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var bytes = Codec.Encode(packet, version);
            Assert.Equal(1 + 3 + 2 + 3 + 2 + (version == MqttProtocolVersion.V500 ? 1 : 0) + 20_000, bytes.Length);
            var decoded = Codec.DecodeOk(bytes, version);
            Assert.Equal(20_000, decoded.Publish.Payload.Length);
        }
    }
}
