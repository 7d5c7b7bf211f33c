using System.Text.Json.Nodes;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>The broker driven by MQTT.js (tests/js/mqtt-scenario.mjs) for the session and 5.0 behaviour.</summary>
public sealed class NodeClientTests
{
    private const string Tasks = "gridgov/v1/terminals/t-1/tasks";

    internal static async Task<ClientProcess> ConnectAsync(EdgeTestServer server, string user, int version, object? extra = null, bool holdAcks = false, string? clientId = null, bool clean = true)
    {
        var node = ClientProcess.Node();
        var options = new JsonObject
        {
            ["username"] = user,
            ["password"] = EdgeTestServer.Secret,
            ["protocolVersion"] = version,
            ["clean"] = clean,
            ["clientId"] = clientId ?? $"{user}-{Guid.NewGuid():N}",
        };
        if (extra is not null)
        {
            foreach (var (k, v) in System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject()) options[k] = v?.DeepClone();
        }

        await node.SendAsync(new { op = "connect", url = server.Url, options, holdAcks });
        return node;
    }

    internal static async Task SubscribeAsync(ClientProcess client, string topic, object? options = null)
    {
        await client.SendAsync(new { op = "subscribe", topic, options = options ?? new { qos = 1 } });
        var suback = await client.WaitForEventAsync("suback");
        Assert.True(suback["error"] is null, suback.ToJsonString());
    }

    internal static async Task<JsonObject> PublishAsync(ClientProcess client, string topic, string payload, object? options = null)
    {
        await client.SendAsync(new { op = "publish", topic, payload, options = options ?? new { qos = 1 } });
        return await client.WaitForEventAsync("published");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task PersistentSessionRedeliversUnacknowledgedQoS1WithDupAfterTheConnectionDrops(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        object extra = version == 5 ? new { properties = new { sessionExpiryInterval = 300 } } : new { };
        await using (var first = await ConnectAsync(server, "t-1", version, extra, holdAcks: true, clientId: "t-1-persist", clean: false))
        {
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, Tasks);
            await using var publisher = await ConnectAsync(server, "integration", version);
            await publisher.WaitForEventAsync("connack");
            await PublishAsync(publisher, Tasks, "task-1");
            Assert.Equal("task-1", (await first.WaitForEventAsync("message"))["payload"]!.GetValue<string>());
            first.Kill(); // never acknowledged
        }

        await using var second = await ConnectAsync(server, "t-1", version, extra, clientId: "t-1-persist", clean: false);
        Assert.True((await second.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
        var again = await second.WaitForEventAsync("message");
        Assert.Equal("task-1", again["payload"]!.GetValue<string>());
        Assert.True(again["dup"]!.GetValue<bool>());
    }

    [Fact]
    public async Task OfflineQueueKeepsOnlyTheNewestMessagesWhenFull()
    {
        await using var server = await EdgeTestServer.StartAsync(o => { o.MaxQueuedMessagesPerClient = 3; o.QueueFullPolicy = QueueFullPolicy.DropOldest; });
        var extra = new { properties = new { sessionExpiryInterval = 300 } };
        await using (var first = await ConnectAsync(server, "t-1", 5, extra, clientId: "t-1-q", clean: false))
        {
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, Tasks);
            await first.SendAsync(new { op = "end" });
            await first.WaitForEventAsync("ended");
        }

        await using var publisher = await ConnectAsync(server, "integration", 5);
        await publisher.WaitForEventAsync("connack");
        for (var i = 1; i <= 5; i++) await PublishAsync(publisher, Tasks, $"m{i}");

        await using var second = await ConnectAsync(server, "t-1", 5, extra, clientId: "t-1-q", clean: false);
        await second.WaitForEventAsync("connack");
        var got = new List<string>();
        for (var i = 0; i < 3; i++) got.Add((await second.WaitForEventAsync("message"))["payload"]!.GetValue<string>());
        Assert.Equal(["m3", "m4", "m5"], got);
    }

    [Fact]
    public async Task InboundTopicAliasResolvesToTheBoundTopic()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ConnectAsync(server, "integration", 5);
        await sub.WaitForEventAsync("connack");
        await SubscribeAsync(sub, "gridgov/v1/terminals/t-1/position");
        await using var device = await ConnectAsync(server, "t-1", 5);
        await device.WaitForEventAsync("connack");

        await PublishAsync(device, "gridgov/v1/terminals/t-1/position", "fix-1", new { qos = 1, properties = new { topicAlias = 1 } });
        await PublishAsync(device, "", "fix-2", new { qos = 1, properties = new { topicAlias = 1 } });

        foreach (var expected in new[] { "fix-1", "fix-2" })
        {
            var m = await sub.WaitForEventAsync("message");
            Assert.Equal(expected, m["payload"]!.GetValue<string>());
            Assert.Equal("gridgov/v1/terminals/t-1/position", m["topic"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task ExpiredRetainedMessageIsNotDeliveredAndALiveOneCarriesItsRemainingExpiry()
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(time: time);
        await using var publisher = await ConnectAsync(server, "integration", 5);
        await publisher.WaitForEventAsync("connack");
        await PublishAsync(publisher, "gridgov/v1/regions/3205/warning", "short", new { qos = 1, retain = true, properties = new { messageExpiryInterval = 10 } });
        await PublishAsync(publisher, "gridgov/v1/regions/320508/warning", "long", new { qos = 1, retain = true, properties = new { messageExpiryInterval = 100 } });
        time.Advance(TimeSpan.FromSeconds(11));

        await using var sub = await ConnectAsync(server, "t-1", 5);
        await sub.WaitForEventAsync("connack");
        await SubscribeAsync(sub, "gridgov/v1/regions/3205/warning");
        await SubscribeAsync(sub, "gridgov/v1/regions/320508/warning");
        var m = await sub.WaitForEventAsync("message");
        Assert.Equal("long", m["payload"]!.GetValue<string>());
        Assert.Equal(89, m["properties"]!["messageExpiryInterval"]!.GetValue<int>());
    }

    [Fact]
    public async Task SharedSubscriptionSpreadsMessagesOverTheGroup()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var a = await ConnectAsync(server, "integration", 5);
        await using var b = await ConnectAsync(server, "integration", 5);
        await a.WaitForEventAsync("connack");
        await b.WaitForEventAsync("connack");
        await SubscribeAsync(a, "$share/workers/gridgov/v1/sensors/+/event");
        await SubscribeAsync(b, "$share/workers/gridgov/v1/sensors/+/event");
        await using var sensor = await ConnectAsync(server, "s-1", 5);
        await sensor.WaitForEventAsync("connack");
        for (var i = 0; i < 4; i++) await PublishAsync(sensor, "gridgov/v1/sensors/s-1/event", $"e{i}");

        var fromA = new[] { await a.WaitForEventAsync("message"), await a.WaitForEventAsync("message") };
        var fromB = new[] { await b.WaitForEventAsync("message"), await b.WaitForEventAsync("message") };
        var all = fromA.Concat(fromB).Select(m => m["payload"]!.GetValue<string>()).Order().ToArray();
        Assert.Equal(["e0", "e1", "e2", "e3"], all);
    }

    [Fact]
    public async Task DeniedPublishAndSubscribeGetReasonCode0x87On50()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var device = await ConnectAsync(server, "t-1", 5);
        await device.WaitForEventAsync("connack");
        var published = await PublishAsync(device, "gridgov/v1/terminals/t-2/sos", "spoof");
        Assert.Equal(0x87, published["reasonCode"]!.GetValue<int>());
        await device.SendAsync(new { op = "subscribe", topic = "gridgov/v1/responders/resp/escalations", options = new { qos = 1 } });
        var suback = await device.WaitForEventAsync("suback");
        Assert.Contains("Not authorized", suback.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketClientCanPublishAndSubscribe()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var node = ClientProcess.Node();
        await using var _ = node;
        await node.SendAsync(new { op = "connect", url = $"ws://127.0.0.1:{server.HttpPort}/mqtt", options = new { username = "integration", password = EdgeTestServer.Secret, protocolVersion = 5 } });
        await node.WaitForEventAsync("connack");
        await SubscribeAsync(node, "gridgov/v1/terminals/t-1/tasks");
        await PublishAsync(node, "gridgov/v1/terminals/t-1/tasks", "over-ws");
        Assert.Equal("over-ws", (await node.WaitForEventAsync("message"))["payload"]!.GetValue<string>());
    }
}
