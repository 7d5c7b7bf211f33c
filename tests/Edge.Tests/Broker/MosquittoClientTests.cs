namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>The broker driven by Debian's mosquitto_pub / mosquitto_sub, 3.1.1 and 5.0.</summary>
public sealed class MosquittoClientTests
{
    private const string Tasks = "gridgov/v1/terminals/t-1/tasks";
    private const string Status = "gridgov/v1/terminals/t-1/status";
    private const string Warning = "gridgov/v1/regions/320508/warning";

    private static ClientProcess Sub(EdgeTestServer server, string version, string user, string topic, params string[] extra) =>
        ClientProcess.Mosquitto("mosquitto_sub", server.Port, version, ["-d", "-u", user, "-P", EdgeTestServer.Secret, "-t", topic, .. extra]);

    private static async Task<(int Code, string Output)> PubAsync(EdgeTestServer server, string version, string user, string topic, params string[] extra)
    {
        await using var pub = ClientProcess.Mosquitto("mosquitto_pub", server.Port, version, ["-u", user, "-P", EdgeTestServer.Secret, "-t", topic, .. extra]);
        var code = await pub.WaitForExitAsync();
        return (code, pub.Output);
    }

    [Theory]
    [InlineData("mqttv311", 0)]
    [InlineData("mqttv311", 1)]
    [InlineData("mqttv311", 2)]
    [InlineData("mqttv5", 0)]
    [InlineData("mqttv5", 1)]
    [InlineData("mqttv5", 2)]
    public async Task AuthenticatedDeviceReceivesDownlinkAtEachQoS(string version, int qos)
    {
        await using var server = await EdgeTestServer.StartAsync();
        var q = qos.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var sub = Sub(server, version, "t-1", Tasks, "-q", q, "-C", "1");
        await sub.WaitForAsync("SUBACK");

        var (code, output) = await PubAsync(server, version, "integration", Tasks, "-q", q, "-m", "case-42");

        Assert.True(code == 0, output);
        await sub.WaitForLineAsync(l => l == "case-42");
        Assert.Equal(0, await sub.WaitForExitAsync());
        Assert.Contains($"q{q}", sub.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task WrongPasswordIsRefused(string version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var pub = ClientProcess.Mosquitto("mosquitto_pub", server.Port, version, "-u", "t-1", "-P", "wrong", "-t", Tasks, "-m", "x");
        Assert.NotEqual(0, await pub.WaitForExitAsync());
        Assert.Contains("bad user name or password", pub.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task AnonymousIsRefusedByDefault(string version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var pub = ClientProcess.Mosquitto("mosquitto_pub", server.Port, version, "-t", "x", "-m", "x");
        Assert.NotEqual(0, await pub.WaitForExitAsync());
        Assert.Contains("not authori", pub.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnonymousIsAllowedWithItsOwnAclWhenConfigured()
    {
        await using var server = await EdgeTestServer.StartAsync(o =>
        {
            o.AllowAnonymous = true;
            o.AnonymousAccess = new EdgeAccessRule { Publish = ["rig/#"], Subscribe = ["rig/#"] };
        });
        await using var sub = ClientProcess.Mosquitto("mosquitto_sub", server.Port, "mqttv311", "-d", "-t", "rig/a", "-C", "1");
        await sub.WaitForAsync("SUBACK");
        await using var pub = ClientProcess.Mosquitto("mosquitto_pub", server.Port, "mqttv311", "-t", "rig/a", "-m", "anon");
        Assert.Equal(0, await pub.WaitForExitAsync());
        await sub.WaitForLineAsync(l => l == "anon");
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task PublishOutsideTheDevicesOwnTopicsIsDropped(string version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = Sub(server, version, "integration", "gridgov/v1/#", "-C", "1", "-q", "1");
        await sub.WaitForAsync("SUBACK");

        // 3.1.1 still gets its PUBACK (no code exists); the message must not reach the subscriber either way.
        await PubAsync(server, version, "t-1", "gridgov/v1/terminals/t-2/position", "-q", "1", "-m", "spoofed");
        var (code, output) = await PubAsync(server, version, "t-1", "gridgov/v1/terminals/t-1/position", "-q", "1", "-m", "own");

        Assert.True(code == 0, output);
        var first = await sub.WaitForLineAsync(l => l is "own" or "spoofed");
        Assert.Equal("own", first);
    }

    [Theory]
    [InlineData("mqttv311", "128")]
    [InlineData("mqttv5", "135")]
    public async Task SubscribeOutsideTheAclIsDenied(string version, string code)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = Sub(server, version, "t-1", "gridgov/v1/terminals/t-2/tasks");
        await sub.WaitForAsync("SUBACK");
        await sub.WaitForLineAsync(l => l.Contains(code, StringComparison.Ordinal) || l.Contains("denied", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task RetainedWarningIsDeliveredOnSubscribeAndClearedByAnEmptyPayload(string version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        Assert.Equal(0, (await PubAsync(server, version, "integration", Warning, "-r", "-q", "1", "-m", "level-2")).Code);

        await using (var sub = Sub(server, version, "t-1", Warning, "-C", "1"))
        {
            await sub.WaitForLineAsync(l => l == "level-2");
            Assert.Contains("r1", sub.Output, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await PubAsync(server, version, "integration", Warning, "-r", "-q", "1", "-n")).Code);
        await using var after = Sub(server, version, "t-1", Warning, "-C", "1");
        await after.WaitForAsync("SUBACK");
        Assert.Equal(0, (await PubAsync(server, version, "integration", Warning, "-q", "1", "-m", "live")).Code);
        Assert.Equal("live", await after.WaitForLineAsync(l => l is "live" or "level-2"));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task WillIsPublishedWhenTheConnectionDropsButNotOnCleanDisconnect(string version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var watcher = Sub(server, version, "integration", Status, "-C", "2");
        await watcher.WaitForAsync("SUBACK");

        // Clean disconnect: mosquitto_pub sends DISCONNECT, so its will is discarded.
        Assert.Equal(0, (await PubAsync(server, version, "t-1", Status, "-m", "bye", "--will-topic", Status, "--will-payload", "clean-will")).Code);
        await watcher.WaitForLineAsync(l => l == "bye");

        await using (var device = Sub(server, version, "t-1", Tasks, "--will-topic", Status, "--will-payload", "offline", "-i", "t-1-dev"))
        {
            await device.WaitForAsync("SUBACK");
            device.Kill();
        }

        Assert.Equal("offline", await watcher.WaitForLineAsync(l => l is "offline" or "clean-will"));
    }

    [Fact]
    public async Task APublishNoOneSubscribedToIsAcknowledgedWithNoMatchingSubscribersOn50()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (code, output) = await PubAsync(server, "mqttv5", "integration", "rig/nobody", "-d", "-q", "1", "-m", "x");
        Assert.True(code == 0, output);
        Assert.Contains("PUBACK (Mid: 1, RC:16)", output, StringComparison.Ordinal); // 5.0 §3.4.2.1
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task ASubscriberAtQoS0GetsAQoS2PublishAtQoS0(string version)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sub = Sub(server, version, "t-1", Tasks, "-q", "0", "-C", "1");
        await sub.WaitForAsync("SUBACK");
        Assert.Equal(0, (await PubAsync(server, version, "integration", Tasks, "-q", "2", "-m", "downgraded")).Code);
        await sub.WaitForLineAsync(l => l == "downgraded");
        Assert.Equal(0, await sub.WaitForExitAsync());
        Assert.Contains("q0", sub.Output, StringComparison.Ordinal); // 3.1.1 §3.8.4, 5.0 §3.8.4: the lower QoS
    }

    /// <summary>
    /// 3.1.1 only: mosquitto_pub 5.0 keeps to the CONNACK's Maximum Packet Size and never sends the packet (MQTT.js does,
    /// see NodeProtocolTests). 3.1.1 cannot tell the client the limit, so the broker closes the connection.
    /// </summary>
    [Fact]
    public async Task APublishOverTheBrokersMaximumPacketSizeClosesOnlyThatConnectionOn311()
    {
        await using var server = await EdgeTestServer.StartAsync(o => o.MaxPacketSize = 1024);
        await using var sub = Sub(server, "mqttv311", "integration", "rig/#", "-C", "1");
        await sub.WaitForAsync("SUBACK");

        var (code, output) = await PubAsync(server, "mqttv311", "integration", "rig/big", "-q", "1", "-m", new string('x', 2000));
        Assert.True(code != 0, output);
        Assert.Equal(0, (await PubAsync(server, "mqttv311", "integration", "rig/small", "-q", "1", "-m", "fine")).Code);
        Assert.Equal("fine", await sub.WaitForLineAsync(l => l is "fine" || l.StartsWith("xxx", StringComparison.Ordinal)));
    }
}
