using System.Text;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// A host stop closes every connection before the rest of the server stops, and must not be held by uplink handlers
/// that never finish (a stuck grain call): after Edge:ShutdownGracePeriod they are cancelled and their publishes go
/// unacknowledged (the client resends them after the restart). Time is fake, so the grace period passes on demand.
/// </summary>
public sealed class ShutdownTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Never finishes on its own; with <paramref name="honoursCancellation"/> it stops when its token is cancelled.</summary>
    private sealed class StuckUplink(bool honoursCancellation) : IMqttUplinkHandler
    {
        private readonly TaskCompletionSource _never = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await (honoursCancellation ? _never.Task.WaitAsync(cancellationToken) : _never.Task);
            return MqttUplinkVerdict.Accept;
        }
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce, false)]
    [InlineData(MqttQualityOfService.AtLeastOnce, true)]
    public async Task AHandlerThatNeverFinishesHoldsTheStopOnlyForTheGracePeriodAndItsPublishIsNotAcknowledged(MqttQualityOfService qos, bool honoursCancellation)
    {
        var time = new FakeTimeProvider();
        var uplink = new StuckUplink(honoursCancellation);
        await using var server = await EdgeTestServer.StartAsync(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(10), time: time, uplink: uplink);
        await using var device = await RawMqttClient.ConnectAsync(server.Port);
        await device.ConnectMqttAsync("t-1-stuck", "t-1");
        await device.SendAsync(new PublishPacket
        {
            QoS = qos,
            PacketId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : (ushort)5,
            Topic = new(Encoding.UTF8.GetBytes("gridgov/v1/terminals/t-1/position")),
            Payload = new(Encoding.UTF8.GetBytes("{\"lat\":31.3,\"lon\":120.6}")),
        });
        await uplink.Entered.Task.WaitAsync(ClientProcess.Timeout, Ct);

        var shutdown = server.Internals.ShutdownAsync(CancellationToken.None);
        Assert.False(shutdown.IsCompleted); // the handler's publish is still being worked on

        time.Advance(TimeSpan.FromSeconds(10));
        await shutdown.WaitAsync(ClientProcess.Timeout, Ct);

        // No PUBACK for the abandoned publish; the 5.0 client is told why the connection ends (5.0 §3.14.2.1).
        var last = await device.ReceiveAsync();
        Assert.Equal(MqttPacketType.Disconnect, last.Type);
        Assert.Equal(MqttReasonCode.ServerShuttingDown, last.Disconnect.ReasonCode);
        Assert.Empty(await device.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task AClientToldToDisconnectBeforeTheStopGetsOnlyThatOneDisconnect()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var device = await RawMqttClient.ConnectAsync(server.Port);
        await device.ConnectMqttAsync("t-1-admin", "t-1");
        Assert.True(server.Broker.Disconnect("t-1-admin", MqttReasonCode.AdministrativeAction));
        await server.Internals.ShutdownAsync(CancellationToken.None).WaitAsync(ClientProcess.Timeout, Ct);

        var only = await device.ReceiveAsync();
        Assert.Equal(MqttReasonCode.AdministrativeAction, only.Disconnect.ReasonCode);
        Assert.Empty(await device.ReadUntilClosedAsync()); // 5.0 §3.14.4: nothing after a DISCONNECT
    }
}
