using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary><see cref="Hooks.IMqttBroker.DisconnectDevice"/>: a revoked device loses every connection, whatever client ids it used.</summary>
public sealed class DisconnectDeviceTests
{
    [Fact]
    public async Task ClosesEveryConnectionOfTheDeviceAndNoOtherOne()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var first = await RawMqttClient.ConnectAsync(server.Port);
        await using var second = await RawMqttClient.ConnectAsync(server.Port);
        await using var other = await RawMqttClient.ConnectAsync(server.Port);
        await using var user = await RawMqttClient.ConnectAsync(server.Port);
        Assert.Equal(MqttReasonCode.Success, (await first.ConnectMqttAsync("handheld-a", "t-1")).ReasonCode);
        Assert.Equal(MqttReasonCode.Success, (await second.ConnectMqttAsync("handheld-b", "t-1")).ReasonCode);
        Assert.Equal(MqttReasonCode.Success, (await other.ConnectMqttAsync("handheld-c", "t-2")).ReasonCode);
        Assert.Equal(MqttReasonCode.Success, (await user.ConnectMqttAsync("t-1-console", "integration")).ReasonCode);

        Assert.Equal(2, server.Broker.DisconnectDevice("t-1"));

        Assert.Equal(MqttReasonCode.AdministrativeAction, (await first.ReceiveAsync()).Disconnect.ReasonCode);
        Assert.Equal(MqttReasonCode.AdministrativeAction, (await second.ReceiveAsync()).Disconnect.ReasonCode);
        Assert.True(server.Broker.IsConnected("handheld-c"));
        Assert.True(server.Broker.IsConnected("t-1-console"));
        Assert.Equal(0, server.Broker.DisconnectDevice("integration")); // a user account is no device
        Assert.Equal(0, server.Broker.DisconnectDevice("nobody"));
    }
}
