using static GridGov.Realtime.Edge.Tests.Broker.NodeClientTests;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>5.0 features a client opts into in CONNECT: server-assigned topic aliases, enhanced authentication.</summary>
public sealed class ProtocolExtensionTests
{
    [Fact]
    public async Task TheBrokerSendsRepeatedTopicsAsAliasesAndTheClientReceivesTheRightTopics()
    {
        await using var server = await EdgeTestServer.StartAsync(o => o.OutboundTopicAliasMaximum = 8);
        // Two aliases for three topics: the least recently used alias is rebound.
        await using var sub = await ConnectAsync(server, "integration", 5, new { properties = new { topicAliasMaximum = 2 } });
        await sub.WaitForEventAsync("connack");
        await SubscribeAsync(sub, "rig/#");
        await using var publisher = await ConnectAsync(server, "integration", 5);
        await publisher.WaitForEventAsync("connack");

        string[] topics = ["rig/a", "rig/b", "rig/a", "rig/c", "rig/b", "rig/a", "rig/a"];
        for (var i = 0; i < topics.Length; i++) await PublishAsync(publisher, topics[i], $"m{i}");

        var aliased = 0;
        for (var i = 0; i < topics.Length; i++)
        {
            var m = await sub.WaitForEventAsync("message");
            Assert.Equal(($"m{i}", topics[i]), (m["payload"]!.GetValue<string>(), m["topic"]!.GetValue<string>()));
            var alias = m["properties"]?["topicAlias"]?.GetValue<int>();
            Assert.InRange(alias ?? 0, 1, 2);
            if (alias is not null) aliased++;
        }

        Assert.Equal(topics.Length, aliased);
    }

    [Fact]
    public async Task AClientThatAsksForNoAliasesGetsEveryTopicInFull()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = await ConnectAsync(server, "integration", 5);
        await sub.WaitForEventAsync("connack");
        await SubscribeAsync(sub, "rig/#");
        await using var publisher = await ConnectAsync(server, "integration", 5);
        await publisher.WaitForEventAsync("connack");
        await PublishAsync(publisher, "rig/a", "m0");
        await PublishAsync(publisher, "rig/a", "m1");

        foreach (var expected in new[] { "m0", "m1" })
        {
            var m = await sub.WaitForEventAsync("message");
            Assert.Equal((expected, "rig/a"), (m["payload"]!.GetValue<string>(), m["topic"]!.GetValue<string>()));
            Assert.Null(m["properties"]?["topicAlias"]);
        }
    }

    [Fact]
    public async Task AConnectWithAnUnsupportedAuthenticationMethodIsRefusedWithBadAuthenticationMethod()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await ConnectAsync(server, "integration", 5, new { properties = new { authenticationMethod = "SCRAM-SHA-256" } });
        var error = await client.WaitForEventAsync("error");
        Assert.Equal(0x8C, error["code"]!.GetValue<int>());
        Assert.Equal(0, server.Broker.ConnectedClientCount);
    }
}
