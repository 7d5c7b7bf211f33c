using System.Text;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>The in-process hook: downlink publishing and the uplink handler that decides when a QoS 1 PUBACK goes.</summary>
public sealed class HookTests
{
    private sealed class GatedUplink : IMqttUplinkHandler
    {
        public TaskCompletionSource<MqttUplinkMessage> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
        {
            Called.TrySetResult(message);
            await Gate.Task;
            return MqttUplinkVerdict.Accept;
        }
    }

    [Fact]
    public async Task QoS1PubAckWaitsForTheUplinkHandlerAndCarriesTheDeviceId()
    {
        var uplink = new GatedUplink();
        await using var server = await EdgeTestServer.StartAsync(uplink: uplink);
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.ConnectMqttAsync("t-1-raw", "t-1");

        await raw.SendAsync(new PublishPacket
        {
            QoS = MqttQualityOfService.AtLeastOnce,
            PacketId = 7,
            Topic = new(Encoding.UTF8.GetBytes("gridgov/v1/terminals/t-1/position")),
            Payload = new(Encoding.UTF8.GetBytes("{\"lat\":31.3}")),
        });

        var message = await uplink.Called.Task.WaitAsync(ClientProcess.Timeout, TestContext.Current.CancellationToken);
        Assert.Equal("t-1", message.DeviceId);
        Assert.Equal("{\"lat\":31.3}", Encoding.UTF8.GetString(message.Payload.Span));
        Assert.Equal(0, raw.Socket.Available); // the ack can only be written after the gate opens

        uplink.Gate.SetResult();
        var ack = await raw.ReceiveAsync();
        Assert.Equal(MqttPacketType.PubAck, ack.Type);
        Assert.Equal(7, ack.Ack.PacketId);
    }

    /// <summary>Holds the publish whose payload is "slow" (or fails it) until released; answers the rest at once.</summary>
    private sealed class OneSlowUplink(int expected) : IMqttUplinkHandler
    {
        private int _calls;

        public TaskCompletionSource AllCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<MqttUplinkVerdict> Slow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == expected) AllCalled.TrySetResult();
            return Encoding.UTF8.GetString(message.Payload.Span) == "slow" ? await Slow.Task : MqttUplinkVerdict.Accept;
        }
    }

    private static PublishPacket Qos1(ushort id, string payload) => new()
    {
        QoS = MqttQualityOfService.AtLeastOnce,
        PacketId = id,
        Topic = new(Encoding.UTF8.GetBytes("gridgov/v1/terminals/t-1/position")),
        Payload = new(Encoding.UTF8.GetBytes(payload)),
    };

    [Fact]
    public async Task HandlersOfOneConnectionRunConcurrentlyButPubAcksKeepTheArrivalOrder()
    {
        var uplink = new OneSlowUplink(expected: 3);
        await using var server = await EdgeTestServer.StartAsync(uplink: uplink);
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.ConnectMqttAsync("t-1-raw", "t-1");

        await raw.SendAsync(Qos1(1, "slow"));
        await raw.SendAsync(Qos1(2, "fast"));
        await raw.SendAsync(Qos1(3, "fast"));

        // The second and third handlers ran while the first was still pending ...
        await uplink.AllCalled.Task.WaitAsync(ClientProcess.Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(0, raw.Socket.Available); // ... yet no ack may overtake the first (3.1.1 / 5.0 §4.6).

        uplink.Slow.SetResult(MqttUplinkVerdict.Reject(MqttReasonCode.PayloadFormatInvalid, "test"));
        var acks = new[] { await raw.ReceiveAsync(), await raw.ReceiveAsync(), await raw.ReceiveAsync() };
        Assert.Equal([1, 2, 3], acks.Select(a => (int)a.Ack.PacketId));
        Assert.All(acks, a => Assert.Equal(MqttPacketType.PubAck, a.Type));
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, acks[0].Ack.ReasonCode);
        Assert.Equal("test", acks[0].Ack.ReasonString); // the handler's reason goes to the device (5.0 §3.4.2.2.2)
        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, acks[1].Ack.ReasonCode);
        Assert.Null(acks[1].Ack.ReasonString);
    }

    [Fact]
    public async Task AFailedHandlerOn311ClosesTheConnectionWithoutAckingItOrAnythingAfterIt()
    {
        var uplink = new OneSlowUplink(expected: 2);
        await using var server = await EdgeTestServer.StartAsync(uplink: uplink);
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.ConnectMqttAsync("t-1-raw", "t-1", MqttProtocolVersion.V311);

        await raw.SendAsync(Qos1(1, "slow"));
        await raw.SendAsync(Qos1(2, "fast"));
        await uplink.AllCalled.Task.WaitAsync(ClientProcess.Timeout, TestContext.Current.CancellationToken);

        uplink.Slow.SetException(new IOException("storage down"));

        // 3.1.1 has no failure code: no ack at all, so the terminal resends both on its next connection.
        Assert.Empty(await raw.ReadUntilClosedAsync());
    }

    /// <summary>Throws (storage down) for the first publish, accepts the rest; counts calls.</summary>
    private sealed class FailsOnceUplink : IMqttUplinkHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new IOException("storage down") : new(MqttUplinkVerdict.Accept);
    }

    [Fact]
    public async Task A311QoS2PublishWhoseHandlerFailedIsHandledAgainWhenTheClientResendsIt()
    {
        var uplink = new FailsOnceUplink();
        await using var server = await EdgeTestServer.StartAsync(uplink: uplink);
        var connect = new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = "t-1-q2", CleanStart = false, UserName = "t-1", Password = Encoding.UTF8.GetBytes(EdgeTestServer.Secret) };
        var publish = new PublishPacket
        {
            QoS = MqttQualityOfService.ExactlyOnce,
            PacketId = 4,
            Topic = new(Encoding.UTF8.GetBytes("gridgov/v1/terminals/t-1/report")),
            Payload = new(Encoding.UTF8.GetBytes("{}")),
        };

        await using (var first = await RawMqttClient.ConnectAsync(server.Port))
        {
            first.Version = MqttProtocolVersion.V311;
            await first.SendAsync(connect);
            Assert.Equal(MqttPacketType.ConnAck, (await first.ReceiveAsync()).Type);
            await first.SendAsync(publish);
            // 3.1.1 has no failure code: no PUBREC, the connection closes so that the client resends.
            Assert.Empty(await first.ReadUntilClosedAsync());
        }

        await using var second = await RawMqttClient.ConnectAsync(server.Port);
        Assert.True((await second.ConnectMqttAsync(connect)).SessionPresent);
        await second.SendAsync(publish with { Dup = true });
        Assert.Equal(MqttPacketType.PubRec, (await second.ReceiveAsync()).Type);
        Assert.Equal(2, uplink.Calls); // handled again, not taken for a duplicate of a message never acknowledged
    }

    /// <summary>Completes a third of the publishes synchronously, a third after a yield and a third on a timer thread.</summary>
    private sealed class MixedUplink : IMqttUplinkHandler
    {
        private int _n;

        public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
        {
            switch (Interlocked.Increment(ref _n) % 3)
            {
                case 1:
                    await Task.Yield();
                    break;
                case 2:
                    await Task.Delay(1, cancellationToken);
                    break;
            }
            return MqttUplinkVerdict.Accept;
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task EveryPublishOfAFullWindowIsAckedOnceInOrderWhateverWayItsHandlerCompletes(MqttProtocolVersion version)
    {
        const int total = 3000;
        const int window = 32;
        await using var server = await EdgeTestServer.StartAsync(uplink: new MixedUplink());
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.ConnectMqttAsync("t-1-raw", "t-1", version);

        var sent = 0;
        for (; sent < window; sent++) await raw.SendAsync(Qos1((ushort)(sent + 1), "x"));
        for (var expected = 1; expected <= total; expected++)
        {
            var ack = await raw.ReceiveAsync();
            Assert.Equal(MqttPacketType.PubAck, ack.Type);
            Assert.Equal((ushort)((expected - 1) % 65535 + 1), ack.Ack.PacketId);
            if (sent < total) await raw.SendAsync(Qos1((ushort)(sent++ % 65535 + 1), "x"));
        }
    }

    private sealed class LostConnections : IMqttConnectionObserver
    {
        public System.Threading.Channels.Channel<string> Lost { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public void OnConnectionLost(string clientId, GridGov.Realtime.Edge.Security.MqttPrincipal principal) => Lost.Writer.TryWrite($"{clientId}/{principal.Name}");
    }

    [Fact]
    public async Task ObserversHearOfALostConnectionButNotOfACleanDisconnect()
    {
        var observer = new LostConnections();
        await using var server = await EdgeTestServer.StartAsync(observer: observer);

        await using (var clean = await RawMqttClient.ConnectAsync(server.Port))
        {
            await clean.ConnectMqttAsync("t-2-clean", "t-2");
            await clean.SendAsync(new DisconnectPacket());
            await clean.ReadUntilClosedAsync(); // the server has finished with it, observers included
        }

        var dropped = await RawMqttClient.ConnectAsync(server.Port);
        await dropped.ConnectMqttAsync("t-1-dropped", "t-1");
        await dropped.DisposeAsync(); // network loss: no DISCONNECT

        var first = await observer.Lost.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(ClientProcess.Timeout, TestContext.Current.CancellationToken);
        Assert.Equal("t-1-dropped/t-1", first);
        Assert.False(observer.Lost.Reader.TryRead(out _));
    }

    [Fact]
    public async Task InProcessPublishReachesASubscribedDevice()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.ConnectMqttAsync("t-1-raw", "t-1");
        await raw.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new("gridgov/v1/terminals/t-1/tasks", new(MqttQualityOfService.AtLeastOnce))] });
        Assert.Equal(MqttPacketType.SubAck, (await raw.ReceiveAsync()).Type);

        var delivered = await server.Broker.PublishAsync("gridgov/v1/terminals/t-1/tasks", Encoding.UTF8.GetBytes("dispatch"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, delivered);
        var publish = await raw.ReceiveAsync();
        Assert.Equal("dispatch", Encoding.UTF8.GetString(publish.Publish.Payload));
        Assert.True(server.Broker.IsConnected("t-1-raw"));
    }
}
