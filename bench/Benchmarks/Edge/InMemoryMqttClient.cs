using System.Buffers;
using System.IO.Pipelines;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Transport;

namespace GridGov.Realtime.Benchmarks.Edge;

/// <summary>
/// A broker connection over two in-memory pipes instead of a socket: the broker's own <see cref="MqttConnection"/>
/// (read loop, write loop, session, routing) runs unchanged, and the benchmark plays the client by writing encoded
/// packets into one pipe and decoding what the broker writes into the other. Inline pipe schedulers keep the
/// harness's own thread hops out of the figures.
/// </summary>
internal sealed class InMemoryMqttClient : IAsyncDisposable
{
    private static readonly PipeOptions Inline = new(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly Pipe _toBroker = new(Inline);
    private readonly Pipe _fromBroker = new(Inline);
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _run;

    public InMemoryMqttClient(MqttBroker broker, MqttProtocolVersion version)
    {
        Version = version;
        // The broker sees the other ends: it reads what we write and writes what we read.
        var brokerSide = new Transport(_toBroker.Reader, _fromBroker.Writer);
        _run = new MqttConnection(brokerSide, null, () => _closed.Cancel(), broker).RunAsync(_closed.Token);
    }

    public MqttProtocolVersion Version { get; }
    public PipeWriter Output => _toBroker.Writer;
    public PipeReader Input => _fromBroker.Reader;

    public async Task ConnectAsync(string clientId, params string[] subscribeQos1)
    {
        // A 5.0 client accepts topic aliases, as MQTT.js and mosquitto do, so the broker's outbound alias path is measured too.
        var properties = Version == MqttProtocolVersion.V500 ? new MqttProperties { TopicAliasMaximum = 16 } : null;
        Write(new ConnectPacket { ProtocolVersion = Version, ClientId = clientId, CleanStart = true, KeepAlive = 0, Properties = properties });
        await Output.FlushAsync();
        await ExpectAsync(MqttPacketType.ConnAck);
        if (subscribeQos1.Length == 0) return;
        var subscribe = new SubscribePacket { PacketId = 1 };
        foreach (var filter in subscribeQos1) subscribe.Subscriptions.Add(new MqttSubscription(filter, new MqttSubscriptionOptions(MqttQualityOfService.AtLeastOnce)));
        Write(subscribe);
        await Output.FlushAsync();
        await ExpectAsync(MqttPacketType.SubAck);
    }

    public void Write(in MqttPacket packet) => MqttEncoder.Write(packet, Version, Output);

    private async Task ExpectAsync(MqttPacketType type)
    {
        while (true)
        {
            var read = await Input.ReadAsync();
            var buffer = read.Buffer;
            var result = MqttDecoder.TryRead(buffer, Version, int.MaxValue, out var consumed, out var examined, out var packet);
            if (result.Status == DecodeStatus.Packet)
            {
                Input.AdvanceTo(consumed);
                if (packet.Type != type) throw new InvalidOperationException($"Expected {type}, got {packet.Type}.");
                return;
            }

            if (result.IsError || read.IsCompleted) throw new InvalidOperationException($"No {type}: {result}.");
            Input.AdvanceTo(consumed, examined);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toBroker.Writer.CompleteAsync();
        await _run;
        await _fromBroker.Reader.CompleteAsync();
        _closed.Dispose();
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
