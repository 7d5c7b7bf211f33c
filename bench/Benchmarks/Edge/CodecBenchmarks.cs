using System.Buffers;
using BenchmarkDotNet.Attributes;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Benchmarks.Edge;

/// <summary>
/// The steady-state publish path of the Edge MQTT codec: a QoS 1 PUBLISH (40-byte topic, 64-byte payload) and its
/// PUBACK, decoded from a contiguous buffer and encoded to a reused buffer writer. Allocated must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const string Topic = "grid/substation/0007/feeder/03/voltage/a"; // 40 bytes

    private readonly ArrayBufferWriter<byte> _writer = new(1024);
    private ReadOnlySequence<byte> _publishBytes;
    private ReadOnlySequence<byte> _pubAckBytes;
    private MqttPacket _publish;
    private MqttPacket _pubAck;

    [Params(MqttProtocolVersion.V311, MqttProtocolVersion.V500)]
    public MqttProtocolVersion Version { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[64];
        new Random(1).NextBytes(payload);
        _publish = new PublishPacket
        {
            QoS = MqttQualityOfService.AtLeastOnce,
            PacketId = 4242,
            Topic = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(Topic)),
            Payload = new ReadOnlySequence<byte>(payload),
        };
        _pubAck = new AckPacket(MqttPacketType.PubAck, 4242);
        _publishBytes = Encode(_publish);
        _pubAckBytes = Encode(_pubAck);
    }

    private ReadOnlySequence<byte> Encode(in MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttEncoder.Write(packet, Version, writer);
        return new ReadOnlySequence<byte>(writer.WrittenMemory.ToArray());
    }

    [Benchmark]
    public int DecodePublish()
    {
        MqttDecoder.TryRead(_publishBytes, Version, 1 << 20, out _, out _, out var packet);
        return (int)packet.Publish.Payload.Length;
    }

    [Benchmark]
    public int DecodePubAck()
    {
        MqttDecoder.TryRead(_pubAckBytes, Version, 1 << 20, out _, out _, out var packet);
        return packet.Ack.PacketId;
    }

    [Benchmark]
    public int EncodePublish()
    {
        _writer.ResetWrittenCount();
        return MqttEncoder.Write(_publish, Version, _writer);
    }

    [Benchmark]
    public int EncodePubAck()
    {
        _writer.ResetWrittenCount();
        return MqttEncoder.Write(_pubAck, Version, _writer);
    }
}
