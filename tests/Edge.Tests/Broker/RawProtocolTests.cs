using System.Text;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>Protocol violations from a bare socket close only that connection.</summary>
public sealed class RawProtocolTests
{
    [Fact]
    public async Task MalformedPacketClosesOnlyThatConnection()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var good = await RawMqttClient.ConnectAsync(server.Port);
        await good.ConnectMqttAsync("good", "integration");
        await good.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new("a/b", new(MqttQualityOfService.AtMostOnce))] });
        await good.ReceiveAsync();

        await using var bad = await RawMqttClient.ConnectAsync(server.Port);
        await bad.ConnectMqttAsync("bad", "integration");
        await bad.SendRawAsync(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }); // Remaining Length of five bytes (5.0 §1.5.5)
        var last = await bad.ReadUntilClosedAsync();
        Assert.Equal(0xE0, last[0]); // DISCONNECT first (5.0 §4.13.1)

        await good.SendAsync(new PublishPacket { Topic = new(Encoding.UTF8.GetBytes("a/b")), Payload = new(Encoding.UTF8.GetBytes("still-here")) });
        Assert.Equal("still-here", Encoding.UTF8.GetString((await good.ReceiveAsync()).Publish.Payload));
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x00 })] // PINGREQ before CONNECT
    [InlineData(new byte[] { 0x10, 0x02, 0x00, 0x04 })] // truncated CONNECT
    public async Task FirstPacketThatIsNotAValidConnectClosesTheConnection(byte[] bytes)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.SendRawAsync(bytes);
        await raw.ReadUntilClosedAsync();
    }

    [Fact]
    public async Task SecondConnectIsAProtocolError()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.ConnectMqttAsync("twice", "integration");
        await raw.SendAsync(new ConnectPacket { ClientId = "twice", UserName = "integration", Password = Encoding.UTF8.GetBytes(EdgeTestServer.Secret) });
        var disconnect = (await raw.ReceiveAsync()).Disconnect;
        Assert.Equal(MqttReasonCode.ProtocolError, disconnect.ReasonCode);
        Assert.Contains("Second CONNECT", disconnect.Properties!.ReasonString, StringComparison.Ordinal); // 5.0 §3.14.2.2.3
        await raw.ReadUntilClosedAsync();
    }

    [Fact]
    public async Task WildcardInPublishTopicClosesTheConnection()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        await raw.ConnectMqttAsync("wild", "integration", MqttProtocolVersion.V311);
        // Hand-encoded: the encoder would not write an invalid topic.
        await raw.SendRawAsync(new byte[] { 0x30, 0x05, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'#' });
        await raw.ReadUntilClosedAsync();
    }

    [Fact]
    public async Task EmptyClientIdWithPersistentSessionIsRefusedOn311()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        raw.Version = MqttProtocolVersion.V311;
        await raw.SendAsync(new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = "", CleanStart = false, UserName = "integration", Password = Encoding.UTF8.GetBytes(EdgeTestServer.Secret) });
        var bytes = await raw.ReadUntilClosedAsync();
        Assert.Equal([0x20, 0x02, 0x00, 0x02], bytes); // CONNACK identifier rejected (3.1.1 §3.2.2.3)
    }

    [Fact]
    public async Task ConnectionThatNeverSendsConnectIsClosedAfterTheTimeout()
    {
        var time = new FakeTimeProvider();
        await using var server = await EdgeTestServer.StartAsync(o => o.ConnectTimeout = TimeSpan.FromSeconds(5), time);
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        // The connection arms its CONNECT timer when Kestrel hands it over; wait for that signal, then pass the deadline.
        Assert.True(SpinWait.SpinUntil(() => time.ArmedTimerCount > 0, ClientProcess.Timeout));
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(await raw.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task EmptyClientIdGetsAnAssignedIdOn50()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var raw = await RawMqttClient.ConnectAsync(server.Port);
        var ack = await raw.ConnectMqttAsync("", "integration");
        Assert.StartsWith("auto-", ack.Properties!.AssignedClientIdentifier, StringComparison.Ordinal);
    }
}
