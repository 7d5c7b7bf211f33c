using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Broker;

public sealed class RawProtocolTests
{
    [Fact]
    public async Task ConnectIsAcknowledged()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        var ack = await raw.ConnectMqttAsync("raw-1", "integration");
        Assert.Equal(MqttReasonCode.Success, ack.ReasonCode);
    }
}
