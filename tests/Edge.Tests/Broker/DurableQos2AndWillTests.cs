using System.Buffers;
using System.Text;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// The two pieces of session state that must outlive the broker besides queues and subscriptions: inbound QoS 2 packet
/// ids awaiting PUBREL (5.0 §4.3.3 method A) and wills waiting on their will delay (5.0 §3.1.3.2.2). Two brokers on
/// one store make a restart; raw clients give exact control over DUP and PUBREL; time is fake.
/// </summary>
public sealed class DurableQos2AndWillTests
{
    private const string Topic = "rig/alarms";
    private const string WillTopic = "rig/status/t-9";
    private const uint SessionExpiry = 300;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Counts every client publish the broker delivered, by payload.</summary>
    private sealed class CountingUplink : IMqttUplinkHandler
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int this[string payload]
        {
            get { lock (_counts) return _counts.GetValueOrDefault(payload); }
        }

        public ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
        {
            var payload = Encoding.UTF8.GetString(message.Payload.Span);
            lock (_counts) _counts[payload] = _counts.GetValueOrDefault(payload) + 1;
            return new(MqttUplinkVerdict.Accept);
        }
    }

    /// <summary>Signals once the broker has closed a connection abnormally (its will published or scheduled).</summary>
    private sealed class LossObserver : IMqttConnectionObserver
    {
        public TaskCompletionSource<string> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnConnectionLost(string clientId, MqttPrincipal principal) => Lost.TrySetResult(clientId);
    }

    private static async Task<(RawMqttClient Client, bool SessionPresent)> ConnectAsync(
        EdgeTestServer server, string clientId, bool cleanStart = false, uint expiry = SessionExpiry, MqttWill? will = null)
    {
        var client = await RawMqttClient.ConnectAsync(server.Port);
        var ack = await client.ConnectMqttAsync(new ConnectPacket
        {
            ClientId = clientId,
            CleanStart = cleanStart,
            UserName = "integration",
            Password = RawMqttClient.Password,
            Properties = new MqttProperties { SessionExpiryInterval = expiry },
            Will = will,
        });
        Assert.Equal(MqttReasonCode.Success, ack.ReasonCode);
        return (client, ack.SessionPresent);
    }

    private static PublishPacket Qos2(ushort id, string payload, bool dup = false, string topic = Topic) => new()
    {
        QoS = MqttQualityOfService.ExactlyOnce,
        PacketId = id,
        Dup = dup,
        Topic = new(Encoding.UTF8.GetBytes(topic)),
        Payload = new(Encoding.UTF8.GetBytes(payload)),
    };

    private static async Task<AckPacket> ExpectAsync(RawMqttClient client, MqttPacketType type)
    {
        var packet = await client.ReceiveAsync();
        Assert.Equal(type, packet.Type);
        return packet.Ack;
    }

    private static async Task<MqttStoredSession> StoredAsync(IMqttStateStore store, string clientId) =>
        Assert.Single((await store.LoadAsync(Ct)).Sessions, s => s.ClientId == clientId);

    private static MqttWill Will(uint delaySeconds, bool retain = false) => new()
    {
        Topic = WillTopic,
        Payload = Encoding.UTF8.GetBytes("t-9 lost"),
        QoS = MqttQualityOfService.AtLeastOnce,
        Retain = retain,
        Properties = new MqttProperties
        {
            WillDelayInterval = delaySeconds,
            MessageExpiryInterval = 3600,
            ContentType = "text/plain",
            UserProperties = [new MqttUserProperty("grid", "320508001")],
        },
    };

    /// <summary>A watcher subscribed to the will topic (and <see cref="Topic"/>) with QoS 1.</summary>
    private static async Task<RawMqttClient> WatchAsync(EdgeTestServer server)
    {
        var (watcher, _) = await ConnectAsync(server, "watcher", cleanStart: true, expiry: 0);
        await watcher.SendAsync(new SubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new(WillTopic, new(MqttQualityOfService.AtLeastOnce)), new(Topic, new(MqttQualityOfService.AtLeastOnce))],
        });
        Assert.Equal(MqttPacketType.SubAck, (await watcher.ReceiveAsync()).Type);
        return watcher;
    }

    private static async Task<PublishPacket> NextPublishAsync(RawMqttClient client)
    {
        var packet = await client.ReceiveAsync();
        Assert.Equal(MqttPacketType.Publish, packet.Type);
        return packet.Publish;
    }

    private static string Text(in PublishPacket publish) => Encoding.UTF8.GetString(publish.Payload.ToArray());

    /// <summary>An in-process publish the watcher gets next: proof that nothing (no will) went out before it.</summary>
    private static async Task AssertNothingBeforeMarkerAsync(EdgeTestServer server, RawMqttClient watcher)
    {
        Assert.Equal(1, await server.Broker.PublishAsync(WillTopic, Encoding.UTF8.GetBytes("marker"), cancellationToken: Ct));
        Assert.Equal("marker", Text(await NextPublishAsync(watcher)));
    }

    /// <summary>The device connects with a will, then its connection drops; returns once the broker has handled the loss.</summary>
    private static async Task LoseDeviceAsync(EdgeTestServer server, LossObserver observer, MqttWill will, uint expiry = SessionExpiry)
    {
        var (device, _) = await ConnectAsync(server, "t-9", expiry: expiry, will: will);
        await device.DisposeAsync();
        Assert.Equal("t-9", await observer.Lost.Task.WaitAsync(ClientProcess.Timeout, Ct));
    }

    [Fact]
    public async Task AQoS2PublishResentWithDupAfterARestartGetsPubRecButIsNotDeliveredTwice()
    {
        var store = new InMemoryMqttStateStore();
        var before = new CountingUplink();
        await using (var server = await EdgeTestServer.StartAsync(store: store, uplink: before))
        {
            var (device, _) = await ConnectAsync(server, "t-9");
            await using (device)
            {
                await device.SendAsync(Qos2(7, "sos-1"));
                var rec = await ExpectAsync(device, MqttPacketType.PubRec);
                Assert.Equal((7, MqttReasonCode.NoMatchingSubscribers), ((int)rec.PacketId, rec.ReasonCode));
            }

            // The PUBREC was the promise: the id was stored before it went out.
            Assert.Equal([(ushort)7], (await StoredAsync(store, "t-9")).InboundQos2);
        }

        Assert.Equal(1, before["sos-1"]);
        var after = new CountingUplink();
        await using var again = await EdgeTestServer.StartAsync(store: store, uplink: after);
        var (resumed, present) = await ConnectAsync(again, "t-9");
        await using (resumed)
        {
            Assert.True(present);
            await resumed.SendAsync(Qos2(7, "sos-1", dup: true));
            Assert.Equal(7, (await ExpectAsync(resumed, MqttPacketType.PubRec)).PacketId);
            await resumed.SendAsync(new AckPacket(MqttPacketType.PubRel, 7));
            Assert.Equal(MqttReasonCode.Success, (await ExpectAsync(resumed, MqttPacketType.PubComp)).ReasonCode);
            Assert.Equal(0, after["sos-1"]);
            Assert.Empty((await StoredAsync(store, "t-9")).InboundQos2);

            // The flow ended, so the id is free: a new message under it is delivered.
            await resumed.SendAsync(Qos2(7, "sos-2"));
            Assert.Equal(7, (await ExpectAsync(resumed, MqttPacketType.PubRec)).PacketId);
            Assert.Equal(1, after["sos-2"]);
        }
    }

    [Fact]
    public async Task APubRelAfterARestartIsAnsweredWithPubCompSuccessAndAnUnknownOneWithPacketIdentifierNotFound()
    {
        var store = new InMemoryMqttStateStore();
        await using (var server = await EdgeTestServer.StartAsync(store: store))
        {
            var (device, _) = await ConnectAsync(server, "t-9");
            await using (device)
            {
                await device.SendAsync(Qos2(11, "sos-1"));
                await ExpectAsync(device, MqttPacketType.PubRec);
            }
        }

        await using var again = await EdgeTestServer.StartAsync(store: store);
        var (resumed, _) = await ConnectAsync(again, "t-9");
        await using (resumed)
        {
            await resumed.SendAsync(new AckPacket(MqttPacketType.PubRel, 11));
            var comp = await ExpectAsync(resumed, MqttPacketType.PubComp);
            Assert.Equal((11, MqttReasonCode.Success), (comp.PacketId, comp.ReasonCode));
            await resumed.SendAsync(new AckPacket(MqttPacketType.PubRel, 11));
            Assert.Equal(MqttReasonCode.PacketIdentifierNotFound, (await ExpectAsync(resumed, MqttPacketType.PubComp)).ReasonCode);
        }
    }

    [Fact]
    public async Task ACleanStartReconnectErasesTheStoredQoS2IdsSoTheSameIdIsANewMessageAfterARestart()
    {
        var store = new InMemoryMqttStateStore();
        await using (var server = await EdgeTestServer.StartAsync(store: store))
        {
            var (device, _) = await ConnectAsync(server, "t-9");
            await using (device)
            {
                await device.SendAsync(Qos2(5, "sos-1"));
                await ExpectAsync(device, MqttPacketType.PubRec);
            }

            var (fresh, present) = await ConnectAsync(server, "t-9", cleanStart: true);
            await using (fresh)
            {
                Assert.False(present);
                Assert.Empty((await StoredAsync(store, "t-9")).InboundQos2);
            }
        }

        var uplink = new CountingUplink();
        await using var again = await EdgeTestServer.StartAsync(store: store, uplink: uplink);
        var (resumed, _) = await ConnectAsync(again, "t-9");
        await using (resumed)
        {
            await resumed.SendAsync(Qos2(5, "sos-3"));
            await ExpectAsync(resumed, MqttPacketType.PubRec);
            Assert.Equal(1, uplink["sos-3"]);
        }
    }

    [Fact]
    public async Task ASessionThatBecomesPersistentOnTakeOverStoresTheQoS2IdsItAlreadyHolds()
    {
        var store = new InMemoryMqttStateStore();
        await using var server = await EdgeTestServer.StartAsync(store: store);
        var (first, _) = await ConnectAsync(server, "t-9", cleanStart: true, expiry: 0);
        await using (first)
        {
            await first.SendAsync(Qos2(4, "sos-1"));
            await ExpectAsync(first, MqttPacketType.PubRec);
            Assert.Equal(0, store.SessionCount);

            var (second, present) = await ConnectAsync(server, "t-9");
            await using (second)
            {
                Assert.True(present);
                Assert.Equal([(ushort)4], (await StoredAsync(store, "t-9")).InboundQos2);
            }
        }
    }

    [Fact]
    public async Task AQoS2PublishOverReceiveMaximumIsNotRememberedSoItsResendIsDelivered()
    {
        var store = new InMemoryMqttStateStore();
        var uplink = new CountingUplink();
        await using var server = await EdgeTestServer.StartAsync(o => o.ReceiveMaximum = 1, store: store, uplink: uplink);
        var (device, _) = await ConnectAsync(server, "t-9");
        await using (device)
        {
            await device.SendAsync(Qos2(1, "sos-1"));
            await ExpectAsync(device, MqttPacketType.PubRec);
            await device.SendAsync(Qos2(2, "sos-2")); // no PUBREL for 1 yet: one too many (5.0 §3.3.4)
            var disconnect = await device.ReceiveAsync();
            Assert.Equal(MqttReasonCode.ReceiveMaximumExceeded, disconnect.Disconnect.ReasonCode);
        }

        Assert.Equal([(ushort)1], (await StoredAsync(store, "t-9")).InboundQos2);
        var (again, _) = await ConnectAsync(server, "t-9");
        await using (again)
        {
            // The client completes what was acknowledged, then resends what was not (5.0 §4.4).
            await again.SendAsync(new AckPacket(MqttPacketType.PubRel, 1));
            await ExpectAsync(again, MqttPacketType.PubComp);
            await again.SendAsync(Qos2(2, "sos-2", dup: true));
            await ExpectAsync(again, MqttPacketType.PubRec);
            Assert.Equal(1, uplink["sos-2"]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PubRecWaitsForThePacketIdToBeStoredAndReportsAWriteThatFailed(bool fail)
    {
        var store = new RecordingStateStore(hold: true);
        await using var server = await EdgeTestServer.StartAsync(store: store);
        var (device, _) = await ConnectAsync(server, "t-9");
        await using (device)
        {
            await device.SendAsync(Qos2(3, "sos-1"));
            await store.FirstInboundQos2.WaitAsync(ClientProcess.Timeout, Ct);
            // The broker decides the PUBREC only now: a success it had sent before the write could not become 0x80.
            if (fail) store.Fail();
            else store.Release();

            var rec = await ExpectAsync(device, MqttPacketType.PubRec);
            Assert.Equal(fail ? MqttReasonCode.UnspecifiedError : MqttReasonCode.NoMatchingSubscribers, rec.ReasonCode);
            // A failure PUBREC ends the flow (5.0 §4.3.3), so the id is released in memory and in the store.
            Assert.Equal(fail ? 2 : 1, store.InboundQos2Writes);
        }
    }

    [Fact]
    public async Task ADupOnANewConnectionIsAnsweredOnlyOnceTheFirstReceiptsIdIsStored()
    {
        var store = new RecordingStateStore(hold: true);
        await using var server = await EdgeTestServer.StartAsync(store: store);
        var (first, _) = await ConnectAsync(server, "t-9");
        await using (first)
        {
            await first.SendAsync(Qos2(3, "sos-1"));
            await store.FirstInboundQos2.WaitAsync(ClientProcess.Timeout, Ct);
        }

        // The client resumes on a new connection and resends, while the id write of the first receipt is still pending.
        var (second, present) = await ConnectAsync(server, "t-9");
        await using (second)
        {
            Assert.True(present);
            await second.SendAsync(Qos2(3, "sos-1", dup: true));
            await second.SendAsync(MqttPacket.PingReq);
            // PINGRESP is answered at once, a PUBREC only in order once durable: so the PUBREC has not gone out before it.
            Assert.Equal(MqttPacketType.PingResp, (await second.ReceiveAsync()).Type);
            store.Release();
            Assert.Equal(MqttReasonCode.Success, (await ExpectAsync(second, MqttPacketType.PubRec)).ReasonCode);
        }
    }

    [Fact]
    public async Task PubCompWaitsForTheIdsRemovalSoACrashCannotSwallowTheNextMessageUnderThatId()
    {
        var store = new RecordingStateStore(crashBeforeQos2Removals: true);
        await using (var server = await EdgeTestServer.StartAsync(store: store))
        {
            var (device, _) = await ConnectAsync(server, "t-9");
            await using (device)
            {
                await device.SendAsync(Qos2(7, "sos-1"));
                await ExpectAsync(device, MqttPacketType.PubRec);
                await device.SendAsync(new AckPacket(MqttPacketType.PubRel, 7));
                await device.SendAsync(MqttPacket.PingReq);
                // The removal never commits: no PUBCOMP, so the client may not reuse id 7 yet.
                Assert.Equal(MqttPacketType.PingResp, (await device.ReceiveAsync()).Type);
            }
        }

        // The process died before the removal committed. The client, never told PUBCOMP, sends PUBREL again; then id 7
        // is free and the next message under it is a new one.
        var uplink = new CountingUplink();
        await using var again = await EdgeTestServer.StartAsync(store: store.Disk, uplink: uplink);
        var (resumed, present) = await ConnectAsync(again, "t-9");
        await using (resumed)
        {
            Assert.True(present);
            await resumed.SendAsync(new AckPacket(MqttPacketType.PubRel, 7));
            Assert.Equal(MqttReasonCode.Success, (await ExpectAsync(resumed, MqttPacketType.PubComp)).ReasonCode);
            await resumed.SendAsync(Qos2(7, "sos-2"));
            await ExpectAsync(resumed, MqttPacketType.PubRec);
            Assert.Equal(1, uplink["sos-2"]);
        }
    }

    [Fact]
    public async Task AWillWaitingOnItsDelaySurvivesARestartAndIsPublishedAtItsTime()
    {
        var store = new InMemoryMqttStateStore();
        var time = new FakeTimeProvider();
        var lost = time.GetUtcNow();
        var observer = new LossObserver();
        await using (var server = await EdgeTestServer.StartAsync(time: time, store: store, observer: observer))
        {
            await LoseDeviceAsync(server, observer, Will(delaySeconds: 60));
            Assert.Equal(lost.AddSeconds(60), (await StoredAsync(store, "t-9")).Will?.DueAt);
        }

        time.Advance(TimeSpan.FromSeconds(20)); // while the broker is down
        await using var again = await EdgeTestServer.StartAsync(time: time, store: store);
        await using var watcher = await WatchAsync(again);
        time.Advance(TimeSpan.FromSeconds(39));
        await AssertNothingBeforeMarkerAsync(again, watcher);

        time.Advance(TimeSpan.FromSeconds(1));
        var will = await NextPublishAsync(watcher);
        Assert.Equal(("t-9 lost", WillTopic), (Text(will), Encoding.UTF8.GetString(will.Topic.ToArray())));
        Assert.Equal("text/plain", Encoding.UTF8.GetString(will.ContentType!.Value.ToArray()));
        Assert.Equal([new MqttUserProperty("grid", "320508001")], will.UserProperties!);
        Assert.Equal(3600u, will.MessageExpiryInterval); // counted from publication (5.0 §3.1.3.2.4), not from the loss
        Assert.Null((await StoredAsync(store, "t-9")).Will);
    }

    [Fact]
    public async Task AWillThatFellDueWhileTheBrokerWasDownIsPublishedAtStart()
    {
        var store = new InMemoryMqttStateStore();
        var time = new FakeTimeProvider();
        var observer = new LossObserver();
        await using (var server = await EdgeTestServer.StartAsync(time: time, store: store, observer: observer))
        {
            await LoseDeviceAsync(server, observer, Will(delaySeconds: 60, retain: true));
        }

        time.Advance(TimeSpan.FromSeconds(90));
        await using var again = await EdgeTestServer.StartAsync(time: time, store: store);
        Assert.Null((await StoredAsync(store, "t-9")).Will); // the session lives on; its will is spent
        await using var watcher = await WatchAsync(again);
        var will = await NextPublishAsync(watcher);
        Assert.Equal(("t-9 lost", true), (Text(will), will.Retain));
    }

    [Fact]
    public async Task AReconnectAfterARestartCancelsTheStoredWill()
    {
        var store = new InMemoryMqttStateStore();
        var time = new FakeTimeProvider();
        var observer = new LossObserver();
        await using (var server = await EdgeTestServer.StartAsync(time: time, store: store, observer: observer))
        {
            await LoseDeviceAsync(server, observer, Will(delaySeconds: 60));
        }

        await using var again = await EdgeTestServer.StartAsync(time: time, store: store);
        await using var watcher = await WatchAsync(again);
        var (device, present) = await ConnectAsync(again, "t-9");
        await using (device)
        {
            Assert.True(present);
            Assert.Null((await StoredAsync(store, "t-9")).Will);
            time.Advance(TimeSpan.FromSeconds(61));
            await AssertNothingBeforeMarkerAsync(again, watcher);
        }
    }

    [Fact]
    public async Task AWillIsPublishedAtSessionExpiryWhenThatComesBeforeTheWillDelayEvenAcrossARestart()
    {
        var store = new InMemoryMqttStateStore();
        var time = new FakeTimeProvider();
        var observer = new LossObserver();
        await using (var server = await EdgeTestServer.StartAsync(time: time, store: store, observer: observer))
        {
            await LoseDeviceAsync(server, observer, Will(delaySeconds: 600), expiry: 30);
        }

        await using var again = await EdgeTestServer.StartAsync(time: time, store: store);
        await using var watcher = await WatchAsync(again);
        time.Advance(TimeSpan.FromSeconds(29));
        await AssertNothingBeforeMarkerAsync(again, watcher);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("t-9 lost", Text(await NextPublishAsync(watcher)));
        Assert.DoesNotContain((await store.LoadAsync(Ct)).Sessions, s => s.ClientId == "t-9");
    }

    [Fact]
    public async Task ASessionThatExpiredWhileTheBrokerWasDownStillSendsItsWill()
    {
        var store = new InMemoryMqttStateStore();
        var time = new FakeTimeProvider();
        var observer = new LossObserver();
        await using (var server = await EdgeTestServer.StartAsync(time: time, store: store, observer: observer))
        {
            await LoseDeviceAsync(server, observer, Will(delaySeconds: 600, retain: true), expiry: 30);
        }

        time.Advance(TimeSpan.FromSeconds(45));
        await using var again = await EdgeTestServer.StartAsync(time: time, store: store);
        Assert.Empty((await store.LoadAsync(Ct)).Sessions);
        await using var watcher = await WatchAsync(again);
        Assert.Equal("t-9 lost", Text(await NextPublishAsync(watcher)));
    }

    [Fact]
    public async Task ACleanSessionStoresNeitherItsQoS2IdsNorItsWill()
    {
        var store = new RecordingStateStore();
        var observer = new LossObserver();
        await using var server = await EdgeTestServer.StartAsync(store: store, observer: observer);
        var (device, _) = await ConnectAsync(server, "t-9", cleanStart: true, expiry: 0, will: Will(delaySeconds: 60));
        await using (device)
        {
            await device.SendAsync(Qos2(1, "sos-1"));
            await ExpectAsync(device, MqttPacketType.PubRec);
            await device.SendAsync(new AckPacket(MqttPacketType.PubRel, 1));
            await ExpectAsync(device, MqttPacketType.PubComp);
        }

        await observer.Lost.Task.WaitAsync(ClientProcess.Timeout, Ct);
        Assert.Equal((0, 0), (store.InboundQos2Writes, store.WillWrites));
        Assert.Equal(0, store.MessageWrites);
    }
}
