using System.Text.Json.Nodes;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.TestSupport;
using static GridGov.Realtime.Edge.Tests.Broker.NodeClientTests;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// Sessions driven by MQTT.js on 3.1.1 (protocolVersion 4) and 5.0: take-over, QoS 2 redelivery, clean start, expiry,
/// keep-alive, delayed wills and server-side DISCONNECT. Time-dependent cases run the broker on a fake clock.
/// </summary>
public sealed class NodeSessionTests
{
    private const string Tasks = "gridgov/v1/terminals/t-1/tasks";
    private const string Status = "gridgov/v1/terminals/t-1/status";

    internal static string Payload(JsonObject message) => message["payload"]!.GetValue<string>();

    /// <summary>5.0 needs a Session Expiry Interval for the session to outlive the connection; 3.1.1 has Clean Session 0.</summary>
    private static object Persistent(int version, uint expiry = 300) => version == 5 ? new { properties = new { sessionExpiryInterval = expiry } } : new { };

    /// <summary>
    /// Waits until the broker has processed the end of <paramref name="clientId"/>'s connection (will scheduled, expiry
    /// timer armed): the connection is detached inside the broker's connect lock, so once it is gone a new CONNECT,
    /// which takes that lock, is answered only after the close path finished.
    /// </summary>
    private static async Task WaitUntilClosedAsync(EdgeTestServer server, string clientId)
    {
        Assert.True(SpinWait.SpinUntil(() => !server.Broker.IsConnected(clientId), ClientProcess.Timeout));
        await using var probe = await ConnectAsync(server, "integration", 5);
        await probe.WaitForEventAsync("connack");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ASecondConnectionWithTheSameClientIdClosesTheFirstAndKeepsWorking(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var first = await ConnectAsync(server, "t-1", version, clientId: "t-1-takeover");
        await first.WaitForEventAsync("connack");
        await using var second = await ConnectAsync(server, "t-1", version, clientId: "t-1-takeover");
        await second.WaitForEventAsync("connack");

        // 5.0 §3.1.4: DISCONNECT 0x8E first; 3.1.1 §3.1.4: the old network connection is just closed.
        if (version == 5) Assert.Equal(0x8E, (await first.WaitForEventAsync("disconnect"))["reasonCode"]!.GetValue<int>());
        await first.WaitForEventAsync("close");
        await SubscribeAsync(second, Tasks);
        await using var publisher = await ConnectAsync(server, "integration", version);
        await publisher.WaitForEventAsync("connack");
        await PublishAsync(publisher, Tasks, "after-takeover");
        Assert.Equal("after-takeover", Payload(await second.WaitForEventAsync("message")));
        Assert.True(server.Broker.IsConnected("t-1-takeover"));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task AnUnacknowledgedQoS2MessageIsResentWithDupToTheReconnectedPersistentSession(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using (var first = await ConnectAsync(server, "t-1", version, Persistent(version), holdAcks: true, clientId: "t-1-q2", clean: false))
        {
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, Tasks, new { qos = 2 });
            await using var publisher = await ConnectAsync(server, "integration", version);
            await publisher.WaitForEventAsync("connack");
            await PublishAsync(publisher, Tasks, "exactly-once", new { qos = 2 });
            var held = await first.WaitForEventAsync("message");
            Assert.Equal(("exactly-once", 2, false), (Payload(held), held["qos"]!.GetValue<int>(), held["dup"]!.GetValue<bool>()));
            first.Kill(); // no PUBREC was sent
        }

        await using var second = await ConnectAsync(server, "t-1", version, Persistent(version), clientId: "t-1-q2", clean: false);
        Assert.True((await second.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
        var again = await second.WaitForEventAsync("message"); // MQTT.js reports a QoS 2 message at PUBREL: the flow completed
        Assert.Equal(("exactly-once", 2, true), (Payload(again), again["qos"]!.GetValue<int>(), again["dup"]!.GetValue<bool>()));
    }

    /// <summary>Holds the uplink handler of the first publish, so its PUBREC is not sent before the connection drops.</summary>
    private sealed class HoldFirstUplink : IMqttUplinkHandler
    {
        private int _calls;
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) > 1) return MqttUplinkVerdict.Accept;
            Called.TrySetResult();
            await Gate.Task;
            return MqttUplinkVerdict.Accept;
        }

        public int Calls => Volatile.Read(ref _calls);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task AQoS2PublishTheClientResendsOnANewConnectionIsDeliveredOnlyOnce(int version)
    {
        var uplink = new HoldFirstUplink();
        await using var server = await EdgeTestServer.StartAsync(uplink: uplink);
        await using var watcher = await ConnectAsync(server, "integration", version);
        await watcher.WaitForEventAsync("connack");
        await SubscribeAsync(watcher, "gridgov/v1/terminals/t-1/#", new { qos = 2 });
        await using var device = await ConnectAsync(server, "t-1", version, Persistent(version), clientId: "t-1-resend", clean: false);
        await device.WaitForEventAsync("connack");

        await device.SendAsync(new { op = "publish", topic = "gridgov/v1/terminals/t-1/sos", payload = "help", options = new { qos = 2 } });
        await uplink.Called.Task.WaitAsync(ClientProcess.Timeout, TestContext.Current.CancellationToken);
        await device.SendAsync(new { op = "destroy" }); // the PUBREC is still held by the handler
        await device.WaitForEventAsync("close");
        await device.SendAsync(new { op = "reconnect" }); // MQTT.js sends its stored PUBLISH again, same packet id
        Assert.True((await device.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
        var published = await device.WaitForEventAsync("published");
        Assert.True(published["error"] is null, published.ToJsonString());
        uplink.Gate.SetResult();

        await PublishAsync(device, "gridgov/v1/terminals/t-1/status", "marker", new { qos = 2 });
        Assert.Equal("help", Payload(await watcher.WaitForEventAsync("message")));
        Assert.Equal("marker", Payload(await watcher.WaitForEventAsync("message")));
        Assert.Equal(2, uplink.Calls); // the resend was a duplicate: neither routed nor handed to the handlers again
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ACleanStartDiscardsThePersistentSessionAndItsQueuedMessages(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using (var first = await ConnectAsync(server, "t-1", version, Persistent(version), clientId: "t-1-clean", clean: false))
        {
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, Tasks);
            await first.SendAsync(new { op = "end" });
            await first.WaitForEventAsync("ended");
        }

        await WaitUntilClosedAsync(server, "t-1-clean");
        await using var publisher = await ConnectAsync(server, "integration", version);
        await publisher.WaitForEventAsync("connack");
        await PublishAsync(publisher, Tasks, "queued");
        Assert.Equal(1, server.Internals.FindSession("t-1-clean")!.QueuedCount);

        await using var second = await ConnectAsync(server, "t-1", version, clientId: "t-1-clean", clean: true);
        Assert.False((await second.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
        await SubscribeAsync(second, Tasks);
        await PublishAsync(publisher, Tasks, "live");
        Assert.Equal("live", Payload(await second.WaitForEventAsync("message")));
    }

    [Theory]
    [InlineData(QueueFullPolicy.DropNew, 4, new[] { "m1", "m2", "m3" })]
    [InlineData(QueueFullPolicy.DropOldest, 4, new[] { "m3", "m4", "m5" })]
    [InlineData(QueueFullPolicy.DropNew, 5, new[] { "m1", "m2", "m3" })]
    public async Task TheOfflineQueueIsBoundedAndAppliesItsPolicyWhenFull(QueueFullPolicy policy, int version, string[] expected)
    {
        await using var server = await EdgeTestServer.StartAsync(o => { o.MaxQueuedMessagesPerClient = 3; o.QueueFullPolicy = policy; });
        await using (var first = await ConnectAsync(server, "t-1", version, Persistent(version), clientId: "t-1-bound", clean: false))
        {
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, Tasks);
            await first.SendAsync(new { op = "end" });
            await first.WaitForEventAsync("ended");
        }

        await WaitUntilClosedAsync(server, "t-1-bound");
        await using var publisher = await ConnectAsync(server, "integration", version);
        await publisher.WaitForEventAsync("connack");
        for (var i = 1; i <= 5; i++) await PublishAsync(publisher, Tasks, $"m{i}");
        Assert.Equal(3, server.Internals.FindSession("t-1-bound")!.QueuedCount);

        await using var second = await ConnectAsync(server, "t-1", version, Persistent(version), clientId: "t-1-bound", clean: false);
        await second.WaitForEventAsync("connack");
        var got = new List<string>();
        for (var i = 0; i < 3; i++) got.Add(Payload(await second.WaitForEventAsync("message")));
        await PublishAsync(publisher, Tasks, "live");
        Assert.Equal("live", Payload(await second.WaitForEventAsync("message"))); // nothing else was queued
        Assert.Equal(expected, got);
    }

    [Fact]
    public async Task APersistentSessionEndsWhenItsExpiryIntervalPassesWhileOffline()
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(time: time);
        await using (var first = await ConnectAsync(server, "t-1", 5, Persistent(5, expiry: 60), clientId: "t-1-expiry", clean: false))
        {
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, Tasks);
            await first.SendAsync(new { op = "end" });
            await first.WaitForEventAsync("ended");
        }

        await WaitUntilClosedAsync(server, "t-1-expiry");
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(server.Internals.FindSession("t-1-expiry"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(server.Internals.FindSession("t-1-expiry"));

        await using var second = await ConnectAsync(server, "t-1", 5, Persistent(5, expiry: 60), clientId: "t-1-expiry", clean: false);
        Assert.False((await second.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task AClientSilentForOneAndAHalfKeepAlivePeriodsIsDisconnected(int version)
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(time: time);
        // MQTT.js pings on the wall clock (every 10 s), which the broker's fake clock outruns: to the broker it is silent.
        await using var client = await ConnectAsync(server, "t-1", version, new { keepalive = 10 }, clientId: "t-1-silent");
        await client.WaitForEventAsync("connack");
        await SubscribeAsync(client, Tasks); // handled after the CONNECT, so the keep-alive timer is armed by now

        time.Advance(TimeSpan.FromSeconds(14.9));
        Assert.True(server.Broker.IsConnected("t-1-silent"));
        time.Advance(TimeSpan.FromSeconds(0.2)); // past 1.5x (3.1.1 §3.1.2.10, 5.0 §3.1.2.10), not half a period later

        if (version == 5) Assert.Equal(0x8D, (await client.WaitForEventAsync("disconnect"))["reasonCode"]!.GetValue<int>());
        await client.WaitForEventAsync("close");
    }

    [Fact]
    public async Task AWillWithADelayIsPublishedOnlyWhenTheDelayHasPassed()
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(time: time);
        await using var watcher = await ConnectAsync(server, "integration", 5);
        await watcher.WaitForEventAsync("connack");
        await SubscribeAsync(watcher, Status);
        var will = new { topic = Status, payload = "offline", qos = 1, properties = new { willDelayInterval = 30 } };
        await using (var device = await ConnectAsync(server, "t-1", 5, new { will, properties = new { sessionExpiryInterval = 300 } }, clientId: "t-1-will"))
        {
            await device.WaitForEventAsync("connack");
            device.Kill();
        }

        await WaitUntilClosedAsync(server, "t-1-will");
        time.Advance(TimeSpan.FromSeconds(29));
        await PublishAsync(watcher, Status, "marker");
        Assert.Equal("marker", Payload(await watcher.WaitForEventAsync("message"))); // not the will yet

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("offline", Payload(await watcher.WaitForEventAsync("message")));
    }

    [Fact]
    public async Task AReconnectWithinTheWillDelayCancelsTheWill()
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(time: time);
        await using var watcher = await ConnectAsync(server, "integration", 5);
        await watcher.WaitForEventAsync("connack");
        await SubscribeAsync(watcher, Status);
        var options = new { will = new { topic = Status, payload = "offline", qos = 1, properties = new { willDelayInterval = 30 } }, properties = new { sessionExpiryInterval = 300 } };
        await using (var device = await ConnectAsync(server, "t-1", 5, options, clientId: "t-1-back", clean: false))
        {
            await device.WaitForEventAsync("connack");
            device.Kill();
        }

        await WaitUntilClosedAsync(server, "t-1-back");
        time.Advance(TimeSpan.FromSeconds(10));
        await using var back = await ConnectAsync(server, "t-1", 5, new { properties = new { sessionExpiryInterval = 300 } }, clientId: "t-1-back", clean: false);
        Assert.True((await back.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());

        time.Advance(TimeSpan.FromSeconds(60));
        await PublishAsync(watcher, Status, "marker");
        Assert.Equal("marker", Payload(await watcher.WaitForEventAsync("message")));
    }

    [Fact]
    public async Task ADisconnectWithReasonDisconnectWithWillMessagePublishesTheWill()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var watcher = await ConnectAsync(server, "integration", 5);
        await watcher.WaitForEventAsync("connack");
        await SubscribeAsync(watcher, Status);
        await using var device = await ConnectAsync(server, "t-1", 5, new { will = new { topic = Status, payload = "going", qos = 1 } });
        await device.WaitForEventAsync("connack");

        await device.SendAsync(new { op = "end", options = new { reasonCode = 4 } }); // 5.0 §3.14.2.1
        await device.WaitForEventAsync("ended");
        Assert.Equal("going", Payload(await watcher.WaitForEventAsync("message")));
    }

    [Fact]
    public async Task TheServerDisconnectsAClientWithAReasonCode()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await ConnectAsync(server, "t-1", 5, clientId: "t-1-admin");
        await client.WaitForEventAsync("connack");
        await SubscribeAsync(client, Tasks);

        Assert.True(server.Broker.Disconnect("t-1-admin"));
        Assert.Equal(0x98, (await client.WaitForEventAsync("disconnect"))["reasonCode"]!.GetValue<int>()); // Administrative action
        await client.WaitForEventAsync("close");
    }
}
