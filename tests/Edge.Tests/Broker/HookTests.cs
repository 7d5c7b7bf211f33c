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
