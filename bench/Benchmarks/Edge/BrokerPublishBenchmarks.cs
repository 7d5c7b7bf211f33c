using System.Buffers;
using System.Threading.Tasks.Sources;
using BenchmarkDotNet.Attributes;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Benchmarks.Edge;

/// <summary>
/// The broker's steady-state publish path end to end, minus the socket: a client publishes QoS 1 (40-byte topic,
/// 64-byte payload) keeping <see cref="Window"/> in flight; the broker decodes, authorises, routes, queues, encodes
/// and acknowledges; a subscriber acknowledges each delivery. One operation = one message, so "Allocated" is what the
/// broker allocates per message (both connections' read and write loops count: the diagnoser reads the process-wide
/// allocation counter). The issue's target is 0 B.
/// </summary>
[MemoryDiagnoser]
public class BrokerPublishBenchmarks
{
    private const int Messages = 8192;
    private const int Window = 32;
    private const string Topic = "grid/substation/0007/feeder/03/voltage/a";

    private ServiceProvider? _services;
    private InMemoryMqttClient? _publisher;
    private InMemoryMqttClient? _subscriber;
    private AckingSubscriber? _acker;
    private byte[] _block = [];

    [Params(MqttProtocolVersion.V311, MqttProtocolVersion.V500)]
    public MqttProtocolVersion Version { get; set; }

    [GlobalSetup(Target = nameof(PublishQos1ToOneSubscriber))]
    public Task SetupPubSub() => SetupAsync(withSubscriber: true);

    [GlobalSetup(Target = nameof(PublishQos1NoSubscriber))]
    public Task SetupIngest() => SetupAsync(withSubscriber: false);

    private async Task SetupAsync(bool withSubscriber)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEdgeBroker(configure: o =>
        {
            o.AllowAnonymous = true;
            o.AnonymousAccess = new EdgeAccessRule { Publish = ["#"], Subscribe = ["#"] };
        });
        _services = services.BuildServiceProvider();
        var broker = _services.GetRequiredService<MqttBroker>();
        _publisher = new InMemoryMqttClient(broker, Version);
        await _publisher.ConnectAsync("bench-pub");
        if (withSubscriber)
        {
            _subscriber = new InMemoryMqttClient(broker, Version);
            await _subscriber.ConnectAsync("bench-sub", "grid/#");
            _acker = new AckingSubscriber(_subscriber);
        }

        var payload = new byte[64];
        new Random(1).NextBytes(payload);
        var writer = new ArrayBufferWriter<byte>();
        for (ushort id = 1; id <= Window; id++)
        {
            MqttEncoder.Write(new PublishPacket
            {
                QoS = MqttQualityOfService.AtLeastOnce,
                PacketId = id,
                Topic = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(Topic)),
                Payload = new ReadOnlySequence<byte>(payload),
            }, Version, writer);
        }

        _block = writer.WrittenMemory.ToArray();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_publisher is not null) await _publisher.DisposeAsync();
        if (_subscriber is not null) await _subscriber.DisposeAsync();
        if (_acker is not null) await _acker.Stopped;
        if (_services is not null) await _services.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task PublishQos1ToOneSubscriber() => PublishAsync(_acker);

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task PublishQos1NoSubscriber() => PublishAsync(null);

    /// <summary>
    /// Sends <see cref="Messages"/> PUBLISHes in windows of <see cref="Window"/>, each window's PUBACKs awaited, and its
    /// deliveries too: a publisher that ran ahead would fill the subscriber's bounded queue and have messages dropped.
    /// </summary>
    private async Task PublishAsync(AckingSubscriber? subscriber)
    {
        var client = _publisher!;
        for (var sent = 0; sent < Messages; sent += Window)
        {
            var delivered = subscriber?.Expect(Window) ?? ValueTask.CompletedTask;
            await client.Output.WriteAsync(_block);
            var acked = 0;
            while (acked < Window)
            {
                var read = await client.Input.ReadAsync();
                var buffer = read.Buffer;
                while (MqttDecoder.TryRead(buffer, client.Version, int.MaxValue, out var consumed, out _, out var packet).Status == DecodeStatus.Packet)
                {
                    if (packet.Type == MqttPacketType.PubAck) acked++;
                    buffer = buffer.Slice(consumed);
                }

                if (read.IsCompleted) throw new InvalidOperationException("The broker closed the publisher.");
                client.Input.AdvanceTo(buffer.Start, buffer.End);
            }

            await delivered;
        }
    }

    /// <summary>Reads the subscriber's deliveries and answers each with PUBACK; completes a wait once the expected count arrived.</summary>
    private sealed class AckingSubscriber : IValueTaskSource
    {
        private readonly InMemoryMqttClient _client;
        private ManualResetValueTaskSourceCore<bool> _done = new() { RunContinuationsAsynchronously = false };
        private int _remaining;

        public AckingSubscriber(InMemoryMqttClient client)
        {
            _client = client;
            Stopped = Task.Run(RunAsync);
        }

        public Task Stopped { get; }

        public ValueTask Expect(int count)
        {
            _done.Reset();
            Volatile.Write(ref _remaining, count);
            return new ValueTask(this, _done.Version);
        }

        private async Task RunAsync()
        {
            var input = _client.Input;
            while (true)
            {
                var read = await input.ReadAsync();
                var buffer = read.Buffer;
                var received = 0;
                while (MqttDecoder.TryRead(buffer, _client.Version, int.MaxValue, out var consumed, out _, out var packet).Status == DecodeStatus.Packet)
                {
                    if (packet.Type == MqttPacketType.Publish)
                    {
                        _client.Write(new AckPacket(MqttPacketType.PubAck, packet.Publish.PacketId));
                        received++;
                    }

                    buffer = buffer.Slice(consumed);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted) return;
                if (received == 0) continue;
                await _client.Output.FlushAsync();
                if (Interlocked.Add(ref _remaining, -received) == 0) _done.SetResult(true);
            }
        }

        public void GetResult(short token) => _done.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _done.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _done.OnCompleted(continuation, state, token, flags);
    }
}
