using System.Text;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.TestSupport;
using static GridGov.Realtime.Edge.Tests.Broker.NodeClientTests;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// Retained messages and persistent sessions across a broker restart (two brokers on one store), with MQTT.js and
/// mosquitto clients. The Silo's SQLite store is tested the same way, and by killing the process, in Silo.Tests.
/// </summary>
public sealed class DurableStateTests
{
    private const string Tasks = "gridgov/v1/terminals/t-1/tasks";
    private const string Escalations = "gridgov/v1/responders/resp/escalations";
    private static readonly object Persistent = new { properties = new { sessionExpiryInterval = 300 } };

    private static async Task EndAsync(ClientProcess client)
    {
        await client.SendAsync(new { op = "end" });
        await client.WaitForEventAsync("ended");
    }

    [Fact]
    public async Task RetainedMessagesSurviveARestartButExpiredOnesDoNot()
    {
        var store = new InMemoryMqttStateStore();
        var time = new FakeTimeProvider();
        await using (var before = await EdgeTestServer.StartAsync(time: time, store: store))
        await using (var publisher = await ConnectAsync(before, "integration", 5))
        {
            await publisher.WaitForEventAsync("connack");
            await PublishAsync(publisher, "rig/kept", "kept", new { qos = 1, retain = true, properties = new { contentType = "text/plain" } });
            await PublishAsync(publisher, "rig/short", "short", new { qos = 1, retain = true, properties = new { messageExpiryInterval = 60 } });
        }

        time.Advance(TimeSpan.FromSeconds(61));
        await using var after = await EdgeTestServer.StartAsync(time: time, store: store);
        Assert.Equal(1, after.Internals.Retained.Count);
        Assert.Equal(["rig/kept"], (await store.LoadAsync(TestContext.Current.CancellationToken)).Retained.Select(r => r.Topic));

        await using var sub = await ConnectAsync(after, "integration", 5);
        await sub.WaitForEventAsync("connack");
        await SubscribeAsync(sub, "rig/#");
        var m = await sub.WaitForEventAsync("message");
        Assert.Equal(("rig/kept", "kept", true), (m["topic"]!.GetValue<string>(), m["payload"]!.GetValue<string>(), m["retain"]!.GetValue<bool>()));
        Assert.Equal("text/plain", m["properties"]!["contentType"]!.GetValue<string>());
    }

    [Fact]
    public async Task APersistentSessionKeepsItsSubscriptionAndQueuedQoS1AndQoS2MessagesAcrossARestart()
    {
        var store = new InMemoryMqttStateStore();
        await using (var before = await EdgeTestServer.StartAsync(store: store))
        {
            await using (var device = await ConnectAsync(before, "t-1", 5, Persistent, clientId: "t-1-durable", clean: false))
            {
                await device.WaitForEventAsync("connack");
                await SubscribeAsync(device, Tasks, new { qos = 2, properties = new { subscriptionIdentifier = 7 } });
                await EndAsync(device);
            }

            await using var publisher = await ConnectAsync(before, "integration", 5);
            await publisher.WaitForEventAsync("connack");
            await PublishAsync(publisher, Tasks, "one", new { qos = 1 });
            await PublishAsync(publisher, Tasks, "two", new { qos = 2 });
        }

        await using var after = await EdgeTestServer.StartAsync(store: store);
        await using var again = await ConnectAsync(after, "t-1", 5, Persistent, clientId: "t-1-durable", clean: false);
        Assert.True((await again.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
        var first = await again.WaitForEventAsync("message");
        var second = await again.WaitForEventAsync("message");
        Assert.Equal(("one", 1), (first["payload"]!.GetValue<string>(), first["qos"]!.GetValue<int>()));
        Assert.Equal(("two", 2), (second["payload"]!.GetValue<string>(), second["qos"]!.GetValue<int>()));
        Assert.Equal(7, second["properties"]!["subscriptionIdentifier"]!.GetValue<int>());

        // The restored subscription still routes new messages.
        await using var publisher2 = await ConnectAsync(after, "integration", 5);
        await publisher2.WaitForEventAsync("connack");
        await PublishAsync(publisher2, Tasks, "three", new { qos = 1 });
        Assert.Equal("three", (await again.WaitForEventAsync("message"))["payload"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEscalationQueuedForAnOfflineMosquittoSessionIsDeliveredAfterARestart()
    {
        var store = new InMemoryMqttStateStore();
        await using (var before = await EdgeTestServer.StartAsync(store: store))
        {
            await using var first = ClientProcess.Mosquitto("mosquitto_sub", before.Port, "mqttv311", "-c", "-i", "resp-pager", "-q", "1", "-u", "resp", "-P", EdgeTestServer.Secret, "-t", Escalations, "-E");
            Assert.Equal(0, await first.WaitForExitAsync());
            // The escalation grain publishes in-process; the returned task completes once the message is durable.
            Assert.Equal(1, await before.Broker.PublishAsync(Escalations, Encoding.UTF8.GetBytes("esc-1"), cancellationToken: TestContext.Current.CancellationToken));
        }

        await using var after = await EdgeTestServer.StartAsync(store: store);
        await using var second = ClientProcess.Mosquitto("mosquitto_sub", after.Port, "mqttv311", "-c", "-i", "resp-pager", "-q", "1", "-u", "resp", "-P", EdgeTestServer.Secret, "-t", Escalations, "-C", "1");
        await second.WaitForLineAsync(l => l == "esc-1");
        Assert.Equal(0, await second.WaitForExitAsync());
    }

    [Fact]
    public async Task ASessionThatBecomesPersistentOnTakeOverKeepsItsSubscriptionAcrossARestart()
    {
        var store = new InMemoryMqttStateStore();
        await using (var before = await EdgeTestServer.StartAsync(store: store))
        {
            await using var first = await ConnectAsync(before, "t-1", 5, new { properties = new { sessionExpiryInterval = 0 } }, clientId: "t-1-upgrade", clean: true);
            await first.WaitForEventAsync("connack");
            await SubscribeAsync(first, Tasks, new { qos = 1, properties = new { subscriptionIdentifier = 3 } });
            await using var second = await ConnectAsync(before, "t-1", 5, Persistent, clientId: "t-1-upgrade", clean: false);
            Assert.True((await second.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
            await EndAsync(second);
        }

        await using var after = await EdgeTestServer.StartAsync(store: store);
        await using var again = await ConnectAsync(after, "t-1", 5, Persistent, clientId: "t-1-upgrade", clean: false);
        Assert.True((await again.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
        Assert.Equal(1, await after.Broker.PublishAsync(Tasks, Encoding.UTF8.GetBytes("task-1"), cancellationToken: TestContext.Current.CancellationToken));
        var m = await again.WaitForEventAsync("message");
        Assert.Equal(("task-1", 3), (m["payload"]!.GetValue<string>(), m["properties"]!["subscriptionIdentifier"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AnUnacknowledgedInFlightMessageIsResentWithDupAfterARestart()
    {
        var store = new InMemoryMqttStateStore();
        await using (var before = await EdgeTestServer.StartAsync(store: store))
        {
            await using var device = await ConnectAsync(before, "t-1", 5, Persistent, holdAcks: true, clientId: "t-1-inflight", clean: false);
            await device.WaitForEventAsync("connack");
            await SubscribeAsync(device, Tasks);
            await using var publisher = await ConnectAsync(before, "integration", 5);
            await publisher.WaitForEventAsync("connack");
            await PublishAsync(publisher, Tasks, "task-1");
            Assert.False((await device.WaitForEventAsync("message"))["dup"]!.GetValue<bool>());
        }

        await using var after = await EdgeTestServer.StartAsync(store: store);
        await using var again = await ConnectAsync(after, "t-1", 5, Persistent, clientId: "t-1-inflight", clean: false);
        Assert.True((await again.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
        var resent = await again.WaitForEventAsync("message");
        Assert.Equal(("task-1", true), (resent["payload"]!.GetValue<string>(), resent["dup"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task ACleanSessionLeavesNothingInTheStoreAndCleanStartErasesAPersistentOne()
    {
        var store = new InMemoryMqttStateStore();
        await using var server = await EdgeTestServer.StartAsync(store: store);
        await using (var device = await ConnectAsync(server, "t-1", 5, Persistent, clientId: "t-1-erase", clean: false))
        {
            await device.WaitForEventAsync("connack");
            await SubscribeAsync(device, Tasks);
            await EndAsync(device);
        }

        Assert.Equal(1, store.SessionCount);
        await using (var clean = await ConnectAsync(server, "t-1", 5, clientId: "t-1-erase", clean: true))
        {
            Assert.False((await clean.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
            await SubscribeAsync(clean, Tasks);
            await using var publisher = await ConnectAsync(server, "integration", 5);
            await publisher.WaitForEventAsync("connack");
            await PublishAsync(publisher, Tasks, "task-1");
            await clean.WaitForEventAsync("message");
            await EndAsync(clean);
        }

        var state = await store.LoadAsync(TestContext.Current.CancellationToken);
        Assert.Empty(state.Sessions);
    }

    [Fact]
    public async Task SessionExpiryRemovesTheStoredSessionAndOneThatExpiredWhileDownIsNotRestored()
    {
        var store = new InMemoryMqttStateStore();
        var time = new FakeTimeProvider();
        var shortLived = new { properties = new { sessionExpiryInterval = 60 } };
        await using (var server = await EdgeTestServer.StartAsync(time: time, store: store))
        {
            foreach (var id in new[] { "t-1-a", "t-1-b" })
            {
                await using var device = await ConnectAsync(server, "t-1", 5, shortLived, clientId: id, clean: false);
                await device.WaitForEventAsync("connack");
                await SubscribeAsync(device, Tasks);
                await EndAsync(device);
            }

            Assert.Equal(2, store.SessionCount);
            time.Advance(TimeSpan.FromSeconds(61)); // the expiry timers fire while the broker runs
            Assert.Equal(0, store.SessionCount);

            await using var later = await ConnectAsync(server, "t-1", 5, shortLived, clientId: "t-1-c", clean: false);
            await later.WaitForEventAsync("connack");
            await SubscribeAsync(later, Tasks);
            await EndAsync(later);
        }

        time.Advance(TimeSpan.FromSeconds(61)); // while the broker is down
        await using var after = await EdgeTestServer.StartAsync(time: time, store: store);
        Assert.Equal(0, store.SessionCount);
        await using var again = await ConnectAsync(after, "t-1", 5, shortLived, clientId: "t-1-c", clean: false);
        Assert.False((await again.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PubAckWaitsForTheStoreAndReportsAWriteThatFailed(bool fail)
    {
        var store = new RecordingStateStore(hold: true);
        await using var server = await EdgeTestServer.StartAsync(store: store);
        await using (var device = await ConnectAsync(server, "t-1", 5, Persistent, clientId: "t-1-slowdisk", clean: false))
        {
            await device.WaitForEventAsync("connack");
            await SubscribeAsync(device, Tasks);
            await EndAsync(device);
        }

        await using var publisher = await ConnectAsync(server, "integration", 5);
        await publisher.WaitForEventAsync("connack");
        await publisher.SendAsync(new { op = "publish", topic = Tasks, payload = "held", options = new { qos = 1 } });
        await store.FirstMessage;
        // The broker decides the PUBACK only now: a success it had sent before the write could not become 0x80.
        if (fail) store.Fail();
        else store.Release();

        var published = await publisher.WaitForEventAsync("published");
        if (fail) Assert.Equal(0x80, published["reasonCode"]?.GetValue<int>());
        else Assert.True(published["error"] is null, published.ToJsonString());
    }

    [Fact]
    public async Task MessagesOnlyForCleanSessionsOrQoS0DoNotTouchTheStore()
    {
        var store = new RecordingStateStore();
        await using var server = await EdgeTestServer.StartAsync(store: store);
        await using var clean = await ConnectAsync(server, "t-1", 5);
        await clean.WaitForEventAsync("connack");
        await SubscribeAsync(clean, Tasks, new { qos = 1 });
        await using var persistentQos0 = await ConnectAsync(server, "t-1", 5, Persistent, clientId: "t-1-qos0", clean: false);
        await persistentQos0.WaitForEventAsync("connack");
        await SubscribeAsync(persistentQos0, Tasks, new { qos = 0 });

        await using var publisher = await ConnectAsync(server, "integration", 5);
        await publisher.WaitForEventAsync("connack");
        await PublishAsync(publisher, Tasks, "task-1", new { qos = 1 });
        await clean.WaitForEventAsync("message");
        await persistentQos0.WaitForEventAsync("message");

        Assert.Equal(0, store.MessageWrites);
    }
}
