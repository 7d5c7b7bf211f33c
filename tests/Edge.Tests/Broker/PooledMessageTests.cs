using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// The broker recycles message objects and payload buffers (no allocation per publish). A message recycled while a
/// queue still held it would go out with another message's bytes, so these tests push many different messages through
/// every kind of holder at once: QoS 0/1/2 subscribers, an in-flight window and an offline queue that overflows (drop
/// oldest), a persistent session resent with DUP, retained messages, payloads larger than the pool keeps. Every payload
/// received is checked against its topic, and once every queue is empty no message may still be counted as held.
/// </summary>
public sealed class PooledMessageTests
{
    private const int Publishers = 4;
    private const int PerPublisher = 400;
    private const string Done = "stress/done";

    [Fact]
    public async Task ManyConcurrentMessagesArriveIntactAndAllGoBackToThePool()
    {
        await using var server = await EdgeTestServer.StartAsync(o =>
        {
            o.MaxInflightPerClient = 4;
            o.MaxQueuedMessagesPerClient = 20;
        });
        var ct = TestContext.Current.CancellationToken;

        await using var qos2 = await SubscribeAsync(server, "sub-qos2", MqttProtocolVersion.V500, MqttQualityOfService.ExactlyOnce, cleanStart: true);
        await using var qos0 = await SubscribeAsync(server, "sub-qos0", MqttProtocolVersion.V500, MqttQualityOfService.AtMostOnce, cleanStart: true);
        var offline = await SubscribeAsync(server, "sub-offline", MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce, cleanStart: false);

        var qos2Reader = ReadUntilDoneAsync(qos2);
        var qos0Reader = ReadUntilDoneAsync(qos0);
        var publishers = Enumerable.Range(0, Publishers).Select(p => PublishAllAsync(server, p)).ToArray();
        // The persistent subscriber drops off mid-stream with messages in flight; its queue overflows while it is away.
        var beforeDrop = await ReadAsync(offline, count: 60, unackedTail: 3);
        await offline.DisposeAsync();
        await Task.WhenAll(publishers);
        await using (var closer = await RawMqttClient.ConnectAsync(server.Port))
        {
            await closer.ConnectMqttAsync("closer", "integration");
            await closer.SendAsync(new PublishPacket { QoS = MqttQualityOfService.AtLeastOnce, PacketId = 1, Topic = Bytes(Done), Payload = Bytes("done") });
            Assert.Equal(MqttPacketType.PubAck, (await closer.ReceiveAsync()).Type);
        }

        await using var back = await RawMqttClient.ConnectAsync(server.Port);
        Assert.True((await back.ConnectMqttAsync(Connect("sub-offline", MqttProtocolVersion.V311, cleanStart: false))).SessionPresent);
        var afterReturn = await ReadUntilDoneAsync(back);

        var received = beforeDrop + await qos2Reader + await qos0Reader + afterReturn;
        Assert.True(received > PerPublisher, $"only {received} messages checked");

        // Retained messages are pinned out of the pool and must still be intact for a late subscriber.
        await using var late = await SubscribeAsync(server, "sub-late", MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce, cleanStart: true);
        Assert.Equal(RetainedTopics().Count(), await ReadAsync(late, RetainedTopics().Count()));

        // Every subscriber has acknowledged everything (each answered a PINGREQ sent after its last ack), and every
        // publisher has its acks: nothing is held, and messages were recycled rather than left to the GC.
        var pool = server.Internals.Messages;
        Assert.Equal(0, pool.Outstanding);
        Assert.True(pool.Count > 0);
        // Operators see the same through the metrics.
        var gauges = ReadGauges(server.Internals.Metrics.Meter);
        Assert.Equal(0, gauges["edge.messages.held"]);
        Assert.Equal(pool.Count, gauges["edge.messages.pooled"]);
        ct.ThrowIfCancellationRequested();
    }

    private static Dictionary<string, long> ReadGauges(System.Diagnostics.Metrics.Meter meter)
    {
        var values = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    private static ConnectPacket Connect(string clientId, MqttProtocolVersion version, bool cleanStart) =>
        new() { ProtocolVersion = version, ClientId = clientId, CleanStart = cleanStart, UserName = "integration", Password = RawMqttClient.Password };

    private static async Task<RawMqttClient> SubscribeAsync(EdgeTestServer server, string clientId, MqttProtocolVersion version, MqttQualityOfService qos, bool cleanStart)
    {
        var client = await RawMqttClient.ConnectAsync(server.Port);
        Assert.Equal(MqttReasonCode.Success, (await client.ConnectMqttAsync(Connect(clientId, version, cleanStart))).ReasonCode);
        var subscribe = new SubscribePacket { PacketId = 1 };
        subscribe.Subscriptions.Add(new MqttSubscription("stress/#", new MqttSubscriptionOptions(qos)));
        await client.SendAsync(subscribe);
        Assert.Equal(MqttPacketType.SubAck, (await client.ReceiveAsync()).Type);
        return client;
    }

    private static async Task PublishAllAsync(EdgeTestServer server, int publisher)
    {
        await using var client = await RawMqttClient.ConnectAsync(server.Port);
        await client.ConnectMqttAsync($"pub-{publisher}", "integration", publisher % 2 == 0 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311);
        for (var seq = 0; seq < PerPublisher; seq++)
        {
            var qos = (MqttQualityOfService)(seq % 3);
            var id = (ushort)(seq % 60000 + 1);
            await client.SendAsync(new PublishPacket
            {
                QoS = qos,
                PacketId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : id,
                Retain = IsRetained(seq),
                Topic = Bytes(TopicOf(publisher, seq)),
                Payload = new ReadOnlySequence<byte>(PayloadOf(publisher, seq)),
            });
            if (qos == MqttQualityOfService.AtLeastOnce) Assert.Equal(MqttPacketType.PubAck, (await client.ReceiveAsync()).Type);
            if (qos != MqttQualityOfService.ExactlyOnce) continue;
            Assert.Equal(MqttPacketType.PubRec, (await client.ReceiveAsync()).Type);
            await client.SendAsync(new AckPacket(MqttPacketType.PubRel, id));
            Assert.Equal(MqttPacketType.PubComp, (await client.ReceiveAsync()).Type);
        }

        // A QoS 0 publish has no ack: a final ping makes sure the broker has read (and routed) all of them.
        await PingAsync(client);
    }

    private static Task<int> ReadUntilDoneAsync(RawMqttClient client) => ReadAsync(client, int.MaxValue);

    /// <summary>
    /// Reads PUBLISHes, checking each, until <paramref name="count"/> were checked or "done" arrives, and acknowledges
    /// them, except the last <paramref name="unackedTail"/> (left in flight). Returns how many were checked.
    /// </summary>
    private static async Task<int> ReadAsync(RawMqttClient client, int count, int unackedTail = 0)
    {
        var checkedCount = 0;
        while (checkedCount < count)
        {
            var packet = await client.ReceiveAsync();
            if (packet.Type == MqttPacketType.PubRel)
            {
                await client.SendAsync(new AckPacket(MqttPacketType.PubComp, packet.Ack.PacketId));
                continue;
            }

            Assert.Equal(MqttPacketType.Publish, packet.Type);
            var publish = packet.Publish;
            var topic = publish.GetTopicString();
            var ack = checkedCount < count - unackedTail;
            if (ack && publish.QoS == MqttQualityOfService.AtLeastOnce) await client.SendAsync(new AckPacket(MqttPacketType.PubAck, publish.PacketId));
            if (ack && publish.QoS == MqttQualityOfService.ExactlyOnce) await client.SendAsync(new AckPacket(MqttPacketType.PubRec, publish.PacketId));
            if (topic == Done) break;
            Check(topic, publish.Payload.ToArray());
            checkedCount++;
        }

        if (unackedTail == 0) await PingAsync(client);
        return checkedCount;
    }

    /// <summary>The broker handles a connection's packets in order, so its PINGRESP means everything before was processed.</summary>
    private static async Task PingAsync(RawMqttClient client)
    {
        await client.SendAsync(MqttPacket.PingReq);
        while (true)
        {
            var packet = await client.ReceiveAsync();
            if (packet.Type == MqttPacketType.PingResp) return;
            if (packet.Type == MqttPacketType.PubRel) await client.SendAsync(new AckPacket(MqttPacketType.PubComp, packet.Ack.PacketId));
        }
    }

    private static void Check(string topic, byte[] payload)
    {
        Assert.True(payload.Length >= 8, $"{topic}: payload of {payload.Length} bytes");
        var publisher = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var seq = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4));
        Assert.Equal(TopicOf(publisher, seq), topic);
        Assert.Equal(PayloadOf(publisher, seq), payload);
    }

    private static IEnumerable<string> RetainedTopics() =>
        Enumerable.Range(0, Publishers).SelectMany(p => Enumerable.Range(0, PerPublisher).Where(IsRetained).Select(seq => TopicOf(p, seq))).Distinct();

    private static bool IsRetained(int seq) => seq % 50 == 0;

    private static string TopicOf(int publisher, int seq) => $"stress/{publisher}/{seq % 4}";

    /// <summary>Publisher and sequence, then bytes that depend on both; lengths from 8 B to past the pool's largest kept buffer.</summary>
    private static byte[] PayloadOf(int publisher, int seq)
    {
        var payload = new byte[8 + (publisher * 7919 + seq * 104729) % 6000];
        BinaryPrimitives.WriteInt32LittleEndian(payload, publisher);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), seq);
        for (var i = 8; i < payload.Length; i++) payload[i] = (byte)(publisher * 31 + seq * 7 + i * 13);
        return payload;
    }

    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.UTF8.GetBytes(s));
}
