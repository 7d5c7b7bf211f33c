using System.Buffers;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Codec;

public class FuzzTests
{
    private static readonly MqttProtocolVersion[] Versions = [MqttProtocolVersion.Unknown, MqttProtocolVersion.V311, MqttProtocolVersion.V500];

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20261121);
        var buffer = new byte[96];
        for (var i = 0; i < 60_000; i++)
        {
            var length = random.Next(buffer.Length + 1);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 2 == 0 && length > 0)
            {
                // Bias towards plausible first bytes and short remaining lengths to get past the fixed header.
                buffer[0] = (byte)(random.Next(16) << 4 | (random.Next(4) == 0 ? random.Next(16) : buffer[0] & 0x0F & 0x02));
                if (length > 1)
                {
                    buffer[1] = (byte)random.Next(Math.Max(1, length - 1));
                }
            }

            DecodeAndCheck(buffer.AsSpan(0, length).ToArray(), Versions[i % 3], random);
        }
    }

    [Fact]
    public void Mutated_valid_packets_never_throw_and_re_encode()
    {
        var random = new Random(42);
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            foreach (var name in Samples.Names.Where(n => Samples.AppliesTo(n, version)))
            {
                var original = Codec.Encode(Samples.Get(name), version);
                for (var i = 0; i < 400; i++)
                {
                    var mutated = (byte[])original.Clone();
                    var flips = 1 + random.Next(3);
                    for (var f = 0; f < flips; f++)
                    {
                        var at = random.Next(mutated.Length);
                        mutated[at] = random.Next(2) == 0 ? (byte)(mutated[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
                    }

                    if (random.Next(4) == 0)
                    {
                        mutated = mutated[..random.Next(mutated.Length + 1)];
                    }

                    DecodeAndCheck(mutated, version, random);
                }
            }
        }
    }

    private static void DecodeAndCheck(byte[] bytes, MqttProtocolVersion version, Random random)
    {
        var sequence = bytes.Length > 2 && random.Next(2) == 0 ? Segments.Split(bytes, random.Next(1, bytes.Length)) : new ReadOnlySequence<byte>(bytes);
        var result = MqttDecoder.TryRead(sequence, version, 1 << 16, out var consumed, out _, out var packet);

        // Differential check: contiguous (fast paths) and one-byte-per-segment (general decoder) agree exactly.
        if (bytes.Length > 0)
        {
            var bytewise = MqttDecoder.TryRead(Segments.Bytewise(bytes), version, 1 << 16, out _, out _, out var other);
            Assert.Equal(result.Status, bytewise.Status);
            Assert.Equal(result.ReasonCode, bytewise.ReasonCode);
            Assert.Equal(packet.Type, other.Type);
        }
        switch (result.Status)
        {
            case DecodeStatus.Packet:
                Assert.True(sequence.Slice(0, consumed).Length <= bytes.Length);
                // Whatever decodes must encode again and decode to the same bytes (the encoder never throws on it).
                var encodeVersion = packet.Type == MqttPacketType.Connect ? packet.Connect.ProtocolVersion : version;
                var again = Codec.Encode(packet, encodeVersion);
                var decodeVersion = packet.Type == MqttPacketType.Connect ? MqttProtocolVersion.Unknown : version;
                var second = Codec.Decode(again, decodeVersion, out var packet2);
                Assert.True(second.Status == DecodeStatus.Packet, second.ToString());
                Assert.Equal(again, Codec.Encode(packet2, encodeVersion));
                break;
            case DecodeStatus.Error:
                Assert.True(result.ReasonCode >= MqttReasonCode.UnspecifiedError);
                break;
        }
    }
}

public class AllocationTests
{
    private static long AllocatedBy(Action action, int iterations)
    {
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public static TheoryData<string, MqttProtocolVersion> HotPackets()
    {
        var data = new TheoryData<string, MqttProtocolVersion>();
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            foreach (var name in new[] { "publish-qos0", "publish-qos1", "publish-qos2-dup-retain", "publish-empty-payload", "puback", "puback-reason", "pubrel" })
            {
                data.Add(name, version);
            }
        }

        data.Add("publish-with-alias-and-expiry", MqttProtocolVersion.V500);
        data.Add("publish-alias-empty-topic", MqttProtocolVersion.V500);
        return data;
    }

    private static MqttPacket Hot(string name) => name == "publish-with-alias-and-expiry"
        ? new PublishPacket
        {
            QoS = MqttQualityOfService.AtLeastOnce,
            PacketId = 9,
            Topic = Codec.Bytes("grid/substation/7/feeder/3/voltage/phase-a"),
            Payload = new ReadOnlySequence<byte>(new byte[64]),
            TopicAlias = 4,
            MessageExpiryInterval = 600,
            PayloadFormatIndicator = MqttPayloadFormat.Unspecified,
            ContentType = Codec.Bytes("application/octet-stream"),
            CorrelationData = new ReadOnlySequence<byte>([1, 2, 3]),
        }
        : Samples.Get(name);

    [Theory]
    [MemberData(nameof(HotPackets))]
    public void Decoding_publish_and_acks_does_not_allocate(string name, MqttProtocolVersion version)
    {
        var bytes = Codec.Encode(Hot(name), version);
        var whole = new ReadOnlySequence<byte>(bytes);
        var split = Segments.Split(bytes, bytes.Length / 2);

        void Decode()
        {
            var r1 = MqttDecoder.TryRead(whole, version, 1 << 20, out _, out _, out var p1);
            var r2 = MqttDecoder.TryRead(split, version, 1 << 20, out _, out _, out var p2);
            if (r1.Status != DecodeStatus.Packet || r2.Status != DecodeStatus.Packet || p1.Type != p2.Type)
            {
                throw new InvalidOperationException("decode failed");
            }
        }

        Assert.Equal(0, AllocatedBy(Decode, 1000));
    }

    [Theory]
    [MemberData(nameof(HotPackets))]
    public void Encoding_publish_and_acks_does_not_allocate(string name, MqttProtocolVersion version)
    {
        var packet = Hot(name);
        var writer = new ArrayBufferWriter<byte>(4096);

        void Encode()
        {
            writer.ResetWrittenCount();
            MqttEncoder.Write(packet, version, writer);
            _ = MqttEncoder.GetEncodedSize(packet, version);
        }

        Assert.Equal(0, AllocatedBy(Encode, 1000));
    }
}
