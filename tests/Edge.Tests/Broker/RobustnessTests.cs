using System.Text;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.TestSupport;
using static GridGov.Realtime.Edge.Tests.Broker.NodeClientTests;
using static GridGov.Realtime.Edge.Tests.Broker.NodeSessionTests;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// Bad input and resource limits (issue 3 §4). Real clients do not send invalid packets, so those come from a bare
/// socket; each case proves that a bystander connection is unaffected.
/// </summary>
public sealed class RobustnessTests
{
    private static async Task<RawMqttClient> BystanderAsync(EdgeTestServer server)
    {
        var good = await RawMqttClient.ConnectAsync(server.Port);
        await good.ConnectMqttAsync("bystander", "integration");
        await good.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new("rig/#", new(MqttQualityOfService.AtMostOnce))] });
        Assert.Equal(MqttPacketType.SubAck, (await good.ReceiveAsync()).Type);
        return good;
    }

    private static async Task AssertStillServedAsync(RawMqttClient good)
    {
        await good.SendAsync(new PublishPacket { Topic = new(Encoding.UTF8.GetBytes("rig/ok")), Payload = new(Encoding.UTF8.GetBytes("still-here")) });
        Assert.Equal("still-here", Encoding.UTF8.GetString((await good.ReceiveAsync()).Publish.Payload));
    }

    public static TheoryData<string, byte[], MqttReasonCode> BadPublishes => new()
    {
        // PUBLISH QoS 0, topic "a/\xC3(": not UTF-8 (5.0 §1.5.4 [MQTT-1.5.4-1]).
        { "invalid UTF-8 topic", [0x30, 0x07, 0x00, 0x04, (byte)'a', (byte)'/', 0xC3, 0x28, 0x00], MqttReasonCode.MalformedPacket },
        // Topic "a/#": no wildcards in a topic name (5.0 §3.3.2.1 [MQTT-3.3.2-2]).
        { "wildcard topic", [0x30, 0x06, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'#', 0x00], MqttReasonCode.TopicNameInvalid },
        // Empty topic with Topic Alias 200, above the broker's maximum (5.0 §3.3.2.3.4 [MQTT-3.3.2-9]).
        { "topic alias above the maximum", [0x30, 0x06, 0x00, 0x00, 0x03, 0x23, 0x00, 0xC8], MqttReasonCode.TopicAliasInvalid },
        // A QoS 1 PUBLISH whose Remaining Length ends before its packet id (5.0 §3.3.2.2).
        { "packet shorter than its fields", [0x32, 0x03, 0x00, 0x01, (byte)'a'], MqttReasonCode.MalformedPacket },
    };

    [Theory]
    [MemberData(nameof(BadPublishes))]
    public async Task ABadPublishClosesOnlyItsConnectionWithTheReasonCode(string what, byte[] bytes, MqttReasonCode expected)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var good = await BystanderAsync(server);
        await using var bad = await RawMqttClient.ConnectAsync(server.Port);
        await bad.ConnectMqttAsync("bad", "integration");

        await bad.SendRawAsync(bytes);
        var disconnect = (await bad.ReceiveAsync()).Disconnect;
        Assert.True(expected == disconnect.ReasonCode, $"{what}: {disconnect.ReasonCode}");
        await bad.ReadUntilClosedAsync();
        await AssertStillServedAsync(good);
    }

    [Fact]
    public async Task AnOversizePacketIsRefusedFromItsHeaderAndClosesOnlyItsConnection()
    {
        await using var server = await EdgeTestServer.StartAsync(o => o.MaxPacketSize = 1024);
        await using var good = await BystanderAsync(server);
        await using var bad = await RawMqttClient.ConnectAsync(server.Port);
        await bad.ConnectMqttAsync("big", "integration");

        await bad.SendRawAsync(new byte[] { 0x30, 0x80, 0x80, 0x04 }); // claims 64 KiB; the body never needs to arrive
        Assert.Equal(MqttReasonCode.PacketTooLarge, (await bad.ReceiveAsync()).Disconnect.ReasonCode);
        await bad.ReadUntilClosedAsync();
        await AssertStillServedAsync(good);
    }

    [Fact]
    public async Task NewConnectionsFromOneAddressAreLimitedPerSecondWithABurstOfTwice()
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(o => o.ConnectionsPerSecondPerAddress = 1, time);
        // One after the other, so the broker sees them in this order.
        await using var first = await RawMqttClient.ConnectAsync(server.Port);
        Assert.Equal(MqttReasonCode.Success, (await first.ConnectMqttAsync("rate-1", "integration")).ReasonCode);
        await using var second = await RawMqttClient.ConnectAsync(server.Port);
        Assert.Equal(MqttReasonCode.Success, (await second.ConnectMqttAsync("rate-2", "integration")).ReasonCode);
        await using var third = await RawMqttClient.ConnectAsync(server.Port);
        Assert.Empty(await third.ReadUntilClosedAsync()); // over the burst: closed before any byte

        time.Advance(TimeSpan.FromSeconds(1)); // one token back
        await using var later = await RawMqttClient.ConnectAsync(server.Port);
        Assert.Equal(MqttReasonCode.Success, (await later.ConnectMqttAsync("rate-3", "integration")).ReasonCode);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ASubscriberOverItsOutboundQueueBytesIsDisconnectedByPolicyAndOthersAreNot(int version)
    {
        await using var server = await EdgeTestServer.StartAsync(o => { o.MaxOutboundQueueBytes = 1024; o.SlowSubscriberPolicy = SlowSubscriberPolicy.Disconnect; });
        await using var slow = await ConnectAsync(server, "integration", version);
        await slow.WaitForEventAsync("connack");
        await SubscribeAsync(slow, "rig/feed/#", new { qos = 0 });
        await using var other = await ConnectAsync(server, "integration", version);
        await other.WaitForEventAsync("connack");
        await SubscribeAsync(other, "rig/feed/small", new { qos = 0 });
        await using var publisher = await ConnectAsync(server, "integration", version);
        await publisher.WaitForEventAsync("connack");

        // Bigger than the whole queue allowance: the QoS 0 message can never fit, as behind a subscriber that stopped reading.
        await PublishAsync(publisher, "rig/feed/big", new string('x', 4096), new { qos = 0 });
        await slow.WaitForEventAsync("close");
        await PublishAsync(publisher, "rig/feed/small", "ok", new { qos = 0 });
        Assert.Equal("ok", Payload(await other.WaitForEventAsync("message")));
    }

    [Fact]
    public async Task ASubscriberOverItsOutboundQueueBytesLosesQoS0MessagesByDefaultButStaysConnected()
    {
        await using var server = await EdgeTestServer.StartAsync(o => o.MaxOutboundQueueBytes = 1024);
        await using var slow = await ConnectAsync(server, "integration", 5);
        await slow.WaitForEventAsync("connack");
        await SubscribeAsync(slow, "rig/feed/#", new { qos = 0 });
        await using var publisher = await ConnectAsync(server, "integration", 5);
        await publisher.WaitForEventAsync("connack");

        await PublishAsync(publisher, "rig/feed/big", new string('x', 4096), new { qos = 0 });
        await PublishAsync(publisher, "rig/feed/small", "ok", new { qos = 0 });
        Assert.Equal("ok", Payload(await slow.WaitForEventAsync("message")));
    }
}
