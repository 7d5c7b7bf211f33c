using System.Text.Json.Nodes;
using GridGov.Realtime.TestSupport;
using static GridGov.Realtime.Edge.Tests.Broker.NodeClientTests;
using static GridGov.Realtime.Edge.Tests.Broker.NodeSessionTests;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// Subscription and 5.0 message features driven by MQTT.js: each test proves its behaviour by order against a later
/// "marker" message, never by waiting for something not to happen.
/// </summary>
public sealed class NodeProtocolTests
{
    private static async Task<ClientProcess> ReadyAsync(EdgeTestServer server, string user, int version, object? extra = null, string? clientId = null, bool holdAll = false)
    {
        ClientProcess client;
        if (holdAll)
        {
            client = ClientProcess.Node();
            var options = new JsonObject { ["username"] = user, ["password"] = EdgeTestServer.Secret, ["protocolVersion"] = version, ["clientId"] = clientId ?? $"{user}-{Guid.NewGuid():N}" };
            foreach (var (k, v) in System.Text.Json.JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject()) options[k] = v?.DeepClone();
            await client.SendAsync(new { op = "connect", url = server.Url, options, holdAll = true });
        }
        else client = await ConnectAsync(server, user, version, extra, clientId: clientId);

        await client.WaitForEventAsync("connack");
        return client;
    }

    private static int Int(JsonObject o, string name) => o[name]!.GetValue<int>();

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task WildcardsAtTheFirstLevelDoNotMatchDollarTopicsButAnExplicitDollarFilterDoes(int version)
    {
        await using var server = await EdgeTestServer.StartAsync(o => o.AccountRules["integration"] = new EdgeAccessRule { Publish = ["#", "$rig/#"], Subscribe = ["#", "+/#", "$rig/#"] });
        await using var all = await ReadyAsync(server, "integration", version);
        await SubscribeAsync(all, "#");
        await SubscribeAsync(all, "+/status");
        await using var dollar = await ReadyAsync(server, "integration", version);
        await SubscribeAsync(dollar, "$rig/#");
        await using var publisher = await ReadyAsync(server, "integration", version);

        await PublishAsync(publisher, "$rig/status", "internal");
        await PublishAsync(publisher, "rig/status", "public");

        Assert.Equal("internal", Payload(await dollar.WaitForEventAsync("message")));
        var first = await all.WaitForEventAsync("message"); // 5.0 §4.7.2, 3.1.1 §4.7.2
        Assert.Equal(("public", "rig/status"), (Payload(first), first["topic"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(4, 0, 2, 0)]
    [InlineData(4, 1, 2, 1)]
    [InlineData(4, 2, 1, 1)]
    [InlineData(5, 0, 2, 0)]
    [InlineData(5, 1, 2, 1)]
    [InlineData(5, 2, 1, 1)]
    public async Task AMessageIsDeliveredAtTheLowerOfTheGrantedAndThePublishedQoS(int version, int subscribed, int published, int delivered)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ReadyAsync(server, "integration", version);
        await sub.SendAsync(new { op = "subscribe", topic = "rig/qos", options = new { qos = subscribed } });
        Assert.Equal(subscribed, (await sub.WaitForEventAsync("suback"))["granted"]![0]!.GetValue<int>());
        await using var publisher = await ReadyAsync(server, "integration", version);
        await PublishAsync(publisher, "rig/qos", "q", new { qos = published });
        Assert.Equal(delivered, Int(await sub.WaitForEventAsync("message"), "qos")); // 5.0 §3.8.4, 3.1.1 §3.8.4
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task OverlappingSubscriptionsOfOneClientDeliverTheMessageOnceAtTheHighestQoS(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ReadyAsync(server, "integration", version);
        await SubscribeAsync(sub, "rig/#", new { qos = 0 });
        await SubscribeAsync(sub, "rig/+/temp", new { qos = 1 });
        await using var publisher = await ReadyAsync(server, "integration", version);
        await PublishAsync(publisher, "rig/a/temp", "21.5", new { qos = 1 });
        await PublishAsync(publisher, "rig/a/temp", "marker", new { qos = 1 });

        var first = await sub.WaitForEventAsync("message");
        Assert.Equal(("21.5", 1), (Payload(first), Int(first, "qos")));
        Assert.Equal("marker", Payload(await sub.WaitForEventAsync("message")));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task AnUnsubscribedFilterReceivesNothingMore(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ReadyAsync(server, "integration", version);
        await SubscribeAsync(sub, "rig/a");
        await SubscribeAsync(sub, "rig/b");
        await sub.SendAsync(new { op = "unsubscribe", topic = "rig/a" });
        var unsuback = await sub.WaitForEventAsync("unsuback");
        Assert.True(unsuback["error"] is null, unsuback.ToJsonString());
        if (version == 5)
        {
            Assert.Equal(0, unsuback["granted"]![0]!.GetValue<int>());
            await sub.SendAsync(new { op = "unsubscribe", topic = "rig/never" });
            Assert.Equal(0x11, (await sub.WaitForEventAsync("unsuback"))["granted"]![0]!.GetValue<int>()); // 5.0 §3.11.3: No subscription existed
        }

        await using var publisher = await ReadyAsync(server, "integration", version);
        await PublishAsync(publisher, "rig/a", "gone");
        await PublishAsync(publisher, "rig/b", "marker");
        Assert.Equal("marker", Payload(await sub.WaitForEventAsync("message")));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ARetainedMessageIsReplacedSoASubscriberGetsOnlyTheNewest(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var publisher = await ReadyAsync(server, "integration", version);
        await PublishAsync(publisher, "rig/level", "2", new { qos = 1, retain = true });
        await PublishAsync(publisher, "rig/level", "3", new { qos = 1, retain = true });
        await using var sub = await ReadyAsync(server, "integration", version);
        await SubscribeAsync(sub, "rig/level");
        await PublishAsync(publisher, "rig/level", "marker");

        var first = await sub.WaitForEventAsync("message");
        Assert.Equal(("3", true), (Payload(first), first["retain"]!.GetValue<bool>()));
        Assert.Equal("marker", Payload(await sub.WaitForEventAsync("message")));
    }

    [Fact]
    public async Task NoLocalKeepsAClientsOwnPublishesFromItsSubscription()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var self = await ReadyAsync(server, "integration", 5);
        await SubscribeAsync(self, "rig/chat", new { qos = 1, nl = true });
        await using var other = await ReadyAsync(server, "integration", 5);
        await PublishAsync(self, "rig/chat", "own");
        await PublishAsync(other, "rig/chat", "theirs");
        Assert.Equal("theirs", Payload(await self.WaitForEventAsync("message"))); // 5.0 §3.8.3.1
    }

    [Fact]
    public async Task RetainAsPublishedKeepsTheRetainFlagOfALiveMessageOtherSubscriptionsSeeItCleared()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var asPublished = await ReadyAsync(server, "integration", 5);
        await SubscribeAsync(asPublished, "rig/flag", new { qos = 1, rap = true });
        await using var plain = await ReadyAsync(server, "integration", 5);
        await SubscribeAsync(plain, "rig/flag", new { qos = 1 });
        await using var publisher = await ReadyAsync(server, "integration", 5);
        await PublishAsync(publisher, "rig/flag", "on", new { qos = 1, retain = true });

        Assert.True((await asPublished.WaitForEventAsync("message"))["retain"]!.GetValue<bool>()); // 5.0 §3.8.3.1
        Assert.False((await plain.WaitForEventAsync("message"))["retain"]!.GetValue<bool>()); // 5.0 §3.3.1.3
    }

    [Theory]
    [InlineData(0, true, true)] // send at every subscribe
    [InlineData(1, true, false)] // only when the subscription is new
    [InlineData(2, false, false)] // never
    public async Task RetainHandlingDecidesWhetherRetainedMessagesAreSentAtSubscribe(int handling, bool atFirst, bool atRepeat)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var publisher = await ReadyAsync(server, "integration", 5);
        await PublishAsync(publisher, "rig/state", "kept", new { qos = 1, retain = true });
        await using var sub = await ReadyAsync(server, "integration", 5);

        foreach (var expected in new[] { atFirst, atRepeat })
        {
            await SubscribeAsync(sub, "rig/state", new { qos = 1, rh = handling });
            await PublishAsync(publisher, "rig/state", "marker"); // not retained: the stored one stays
            if (expected) Assert.Equal("kept", Payload(await sub.WaitForEventAsync("message")));
            Assert.Equal("marker", Payload(await sub.WaitForEventAsync("message")));
        }
    }

    [Fact]
    public async Task SubscriptionIdentifiersOfEveryMatchingSubscriptionComeWithTheMessage()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ReadyAsync(server, "integration", 5);
        await SubscribeAsync(sub, "rig/#", new { qos = 1, properties = new { subscriptionIdentifier = 7 } });
        await SubscribeAsync(sub, "rig/+/alarm", new { qos = 1, properties = new { subscriptionIdentifier = 42 } });
        await using var publisher = await ReadyAsync(server, "integration", 5);
        await PublishAsync(publisher, "rig/a/alarm", "both");
        await PublishAsync(publisher, "rig/a/temp", "one");

        var both = (await sub.WaitForEventAsync("message"))["properties"]!["subscriptionIdentifier"]!.AsArray().Select(n => n!.GetValue<int>()).Order();
        Assert.Equal([7, 42], both); // 5.0 §3.3.2.3.8
        var one = (await sub.WaitForEventAsync("message"))["properties"]!["subscriptionIdentifier"]!;
        Assert.Equal(7, one is JsonArray a ? a.Single()!.GetValue<int>() : one.GetValue<int>());
    }

    [Fact]
    public async Task UserPropertiesAndOtherPublishPropertiesArePassedThroughToSubscribers()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ReadyAsync(server, "integration", 5);
        await SubscribeAsync(sub, "rig/req");
        await using var publisher = await ReadyAsync(server, "integration", 5);
        var properties = new { userProperties = new { source = "camera-7", shift = "night" }, contentType = "application/json", responseTopic = "rig/resp", payloadFormatIndicator = true };
        await PublishAsync(publisher, "rig/req", "{\"x\":1}", new { qos = 1, properties });

        var got = (await sub.WaitForEventAsync("message"))["properties"]!;
        Assert.Equal("camera-7", got["userProperties"]!["source"]!.GetValue<string>()); // 5.0 §3.3.2.3.7
        Assert.Equal("night", got["userProperties"]!["shift"]!.GetValue<string>());
        Assert.Equal("application/json", got["contentType"]!.GetValue<string>());
        Assert.Equal("rig/resp", got["responseTopic"]!.GetValue<string>());
        Assert.True(got["payloadFormatIndicator"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AQueuedMessageWhoseExpiryPassesIsNotDeliveredAndALiveOneCarriesItsRemainingInterval()
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(time: time);
        var persistent = new { properties = new { sessionExpiryInterval = 300 } };
        await using (var first = await ConnectAsync(server, "integration", 5, persistent, clientId: "int-expiry", clean: false))
        {
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, "rig/#");
            await first.SendAsync(new { op = "end" });
            await first.WaitForEventAsync("ended");
        }

        Assert.True(SpinWait.SpinUntil(() => !server.Broker.IsConnected("int-expiry"), ClientProcess.Timeout));
        await using var publisher = await ReadyAsync(server, "integration", 5);
        await PublishAsync(publisher, "rig/short", "short", new { qos = 1, properties = new { messageExpiryInterval = 10 } });
        await PublishAsync(publisher, "rig/long", "long", new { qos = 1, properties = new { messageExpiryInterval = 100 } });
        time.Advance(TimeSpan.FromSeconds(11));

        await using var second = await ConnectAsync(server, "integration", 5, persistent, clientId: "int-expiry", clean: false);
        await second.WaitForEventAsync("connack");
        var m = await second.WaitForEventAsync("message");
        Assert.Equal("long", Payload(m)); // 5.0 §3.3.2.3.3
        Assert.Equal(89, m["properties"]!["messageExpiryInterval"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheBrokerSendsNoMoreUnacknowledgedMessagesThanTheClientsReceiveMaximum()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ReadyAsync(server, "integration", 5, new { properties = new { receiveMaximum = 2 } }, clientId: "int-slow", holdAll: true);
        await SubscribeAsync(sub, "rig/flow");
        await using var publisher = await ReadyAsync(server, "integration", 5);
        for (var i = 1; i <= 5; i++) await PublishAsync(publisher, "rig/flow", $"m{i}");

        Assert.Equal("m1", Payload(await sub.WaitForEventAsync("message")));
        // Every PUBACK to the publisher came after its message was sent or queued, so the split is settled: 5.0 §4.9.
        var session = server.Internals.FindSession("int-slow")!;
        Assert.Equal((5, 3), (session.Depth, session.QueuedCount)); // two in flight, three waiting for an acknowledgement

        // MQTT.js reads the next packet only once it acknowledged the one before; each release frees one slot.
        var rest = new List<string>();
        while (rest.Count < 4)
        {
            await sub.SendAsync(new { op = "release" });
            rest.Add(Payload(await sub.WaitForEventAsync("message")));
        }

        Assert.Equal(["m2", "m3", "m4", "m5"], rest);
    }

    [Fact]
    public async Task TheConnAckAnnouncesTheBrokersLimitsToA50Client()
    {
        await using var server = await EdgeTestServer.StartAsync(o => { o.ReceiveMaximum = 10; o.MaxPacketSize = 4096; o.TopicAliasMaximum = 5; });
        await using var client = ClientProcess.Node();
        await client.SendAsync(new { op = "connect", url = server.Url, options = new { username = "integration", password = EdgeTestServer.Secret, protocolVersion = 5 } });
        var properties = (await client.WaitForEventAsync("connack"))["properties"]!;
        Assert.Equal((10, 4096, 5), (properties["receiveMaximum"]!.GetValue<int>(), properties["maximumPacketSize"]!.GetValue<int>(), properties["topicAliasMaximum"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AMessageLargerThanTheClientsMaximumPacketSizeIsNotSentToIt()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ReadyAsync(server, "integration", 5, new { properties = new { maximumPacketSize = 256 } });
        await SubscribeAsync(sub, "rig/blob");
        await using var publisher = await ReadyAsync(server, "integration", 5);
        await PublishAsync(publisher, "rig/blob", new string('x', 1000));
        await PublishAsync(publisher, "rig/blob", "small");
        Assert.Equal("small", Payload(await sub.WaitForEventAsync("message"))); // 5.0 §3.1.2.11.4
    }

    [Fact]
    public async Task APublishLargerThanTheBrokersMaximumPacketSizeClosesOnlyThatConnectionWithPacketTooLarge()
    {
        await using var server = await EdgeTestServer.StartAsync(o => o.MaxPacketSize = 1024);
        await using var other = await ReadyAsync(server, "integration", 5);
        await SubscribeAsync(other, "rig/big");
        await using var big = await ReadyAsync(server, "integration", 5);
        await big.SendAsync(new { op = "publish", topic = "rig/big", payload = new string('x', 2000), options = new { qos = 1 } });
        var disconnect = await big.WaitForEventAsync("disconnect");
        Assert.Equal(0x95, Int(disconnect, "reasonCode")); // 5.0 §3.2.2.3.6, §4.13
        Assert.Contains("Maximum Packet Size", disconnect["properties"]!["reasonString"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await big.WaitForEventAsync("close");

        await using var publisher = await ReadyAsync(server, "integration", 5);
        await PublishAsync(publisher, "rig/big", "fine");
        Assert.Equal("fine", Payload(await other.WaitForEventAsync("message")));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task AnEmptyClientIdWithCleanStartIsAcceptedAndA50ClientIsToldItsAssignedId(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await ConnectAsync(server, "integration", version, clientId: "", clean: true);
        var connack = await client.WaitForEventAsync("connack");
        Assert.Equal(0, Int(connack, "reasonCode"));
        if (version == 5) Assert.StartsWith("auto-", connack["properties"]!["assignedClientIdentifier"]!.GetValue<string>(), StringComparison.Ordinal);
        await SubscribeAsync(client, "rig/anon-id");
        await PublishAsync(client, "rig/anon-id", "works");
        Assert.Equal("works", Payload(await client.WaitForEventAsync("message")));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task AWildcardInAPublishTopicClosesOnlyThatConnection(int version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var other = await ReadyAsync(server, "integration", version);
        await SubscribeAsync(other, "rig/#");
        await using var bad = await ReadyAsync(server, "integration", version);
        await bad.SendAsync(new { op = "publish", topic = "rig/#", payload = "x", options = new { qos = 1 } });

        if (version == 5) Assert.Equal(0x90, Int(await bad.WaitForEventAsync("disconnect"), "reasonCode")); // 5.0 §3.3.2.1
        await bad.WaitForEventAsync("close");
        await PublishAsync(other, "rig/fine", "fine");
        Assert.Equal("fine", Payload(await other.WaitForEventAsync("message")));
    }
}
