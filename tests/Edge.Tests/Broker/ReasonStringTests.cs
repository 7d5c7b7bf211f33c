using System.Text;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// 5.0 failure acks say why in a Reason String (5.0 §3.4.2.2.2, §3.9.2.1.2), so a device developer sees "not authorised"
/// or the uplink handler's validation message, not only a code; unless the client asked for no problem information
/// (Request Problem Information 0, §3.1.2.11.7).
/// </summary>
public sealed class ReasonStringTests
{
    private static async Task<RawMqttClient> ConnectAsync(EdgeTestServer server, string clientId, bool? problemInformation = null)
    {
        var client = await RawMqttClient.ConnectAsync(server.Port);
        var ack = await client.ConnectMqttAsync(new ConnectPacket
        {
            ClientId = clientId,
            CleanStart = true,
            UserName = "t-1",
            Password = RawMqttClient.Password,
            Properties = problemInformation is { } on ? new MqttProperties { RequestProblemInformation = on } : null,
        });
        Assert.Equal(MqttReasonCode.Success, ack.ReasonCode);
        return client;
    }

    private static PublishPacket PublishTo(string topic) => new()
    {
        QoS = MqttQualityOfService.AtLeastOnce,
        PacketId = 3,
        Topic = new(Encoding.UTF8.GetBytes(topic)),
        Payload = new(Encoding.UTF8.GetBytes("{}")),
    };

    [Fact]
    public async Task ADeniedPublishIsAnsweredWithNotAuthorizedAndAReasonString()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var device = await ConnectAsync(server, "t-1-reason");

        await device.SendAsync(PublishTo("gridgov/v1/terminals/t-2/position")); // another terminal's topic
        var ack = (await device.ReceiveAsync()).Ack;

        Assert.Equal(MqttReasonCode.NotAuthorized, ack.ReasonCode);
        Assert.Equal("Not authorised to publish to this topic.", ack.ReasonString);
    }

    [Fact]
    public async Task AClientThatTurnedProblemInformationOffGetsTheCodeWithoutAReasonString()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var device = await ConnectAsync(server, "t-1-quiet", problemInformation: false);

        await device.SendAsync(PublishTo("gridgov/v1/terminals/t-2/position"));
        var ack = (await device.ReceiveAsync()).Ack;

        Assert.Equal(MqttReasonCode.NotAuthorized, ack.ReasonCode);
        Assert.Null(ack.ReasonString);
    }

    [Fact]
    public async Task ASubAckThatRefusesFiltersNamesThemInItsReasonString()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var device = await ConnectAsync(server, "t-1-subs");

        await device.SendAsync(new SubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new("gridgov/v1/terminals/t-1/tasks", new(MqttQualityOfService.AtLeastOnce)), new("#", new(MqttQualityOfService.AtLeastOnce)), new("gridgov/v1/terminals/+/tasks", new(MqttQualityOfService.AtMostOnce))],
        });
        var suback = (await device.ReceiveAsync()).SubAck;

        Assert.Equal([MqttReasonCode.GrantedQoS1, MqttReasonCode.NotAuthorized, MqttReasonCode.NotAuthorized], suback.ReasonCodes);
        Assert.Equal("Refused: # (not authorised); gridgov/v1/terminals/+/tasks (not authorised).", suback.Properties?.ReasonString);
    }
}
