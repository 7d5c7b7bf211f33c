using GridGov.Realtime.Edge.Tests.Broker;
using GridGov.Realtime.Silo.Tests.Devices;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Silo.Tests.Edge;

/// <summary>
/// The broker's retained messages and persistent sessions in the Silo's SQLite file: the host is stopped and started
/// again on the same data directory, or killed outright, and real mosquitto clients find what was acknowledged.
/// </summary>
public sealed class BrokerRestartTests
{
    private const string Escalations = "gridgov/v1/responders/r-1/escalations";

    private static async Task PublishAsync(int port, string topic, string payload, params string[] extra)
    {
        var (code, output) = await MqttClientProcess.PublishAsync(port, ["-t", topic, "-m", payload, .. extra]);
        Assert.True(code == 0, output); // mosquitto_pub exits 0 only after PUBACK (QoS 1) / PUBCOMP (QoS 2)
    }

    /// <summary>Subscribes a persistent session (clean start 0) and leaves at once, so what follows queues for it.</summary>
    private static async Task SubscribeAndLeaveAsync(int port, string clientId, string topic, params string[] extra)
    {
        await using var sub = MqttClientProcess.Start("mosquitto_sub", port, ["-c", "-i", clientId, "-q", "2", "-t", topic, "-E", .. extra]);
        Assert.Equal(0, await sub.WaitForExitAsync());
    }

    private static async Task<string[]> ReceiveAsync(int port, string clientId, string topic, int count, params string[] extra)
    {
        await using var sub = MqttClientProcess.Start("mosquitto_sub", port, ["-c", "-i", clientId, "-q", "2", "-t", topic, "-v", "-C", count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra]);
        Assert.Equal(0, await sub.WaitForExitAsync());
        return [.. sub.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith(topic.TrimEnd('#'), StringComparison.Ordinal))];
    }

    [Fact]
    public async Task QueuedQoS1AndQoS2MessagesOfAPersistentSessionAreDeliveredAfterARestartAndCleanSessionsLeaveNothing()
    {
        using var data = new TempDirectory();
        var (silo, port) = BrokerRig.Start(data);
        await using (silo)
        {
            await SubscribeAndLeaveAsync(port, "pager-1", Escalations);
            await using var clean = MqttClientProcess.Start("mosquitto_sub", port, "-d", "-i", "watcher-1", "-q", "1", "-t", Escalations);
            await clean.WaitForLineAsync("SUBACK");
            await PublishAsync(port, Escalations, "esc-1", "-q", "1");
            await PublishAsync(port, Escalations, "esc-2", "-q", "2");
            await clean.WaitForLineAsync("esc-2");
        }

        Assert.Equal(2, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_messages WHERE client_id = 'pager-1'"));
        Assert.Equal(0, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_sessions WHERE client_id = 'watcher-1'"));

        var (again, port2) = BrokerRig.Start(data);
        await using (again)
        {
            Assert.Equal([$"{Escalations} esc-1", $"{Escalations} esc-2"], await ReceiveAsync(port2, "pager-1", Escalations, 2));
        }

        // Acknowledged by the subscriber: gone from the store; the session itself stays until it expires.
        Assert.Equal(0, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_messages"));
        Assert.Equal(1, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_subscriptions WHERE client_id = 'pager-1'"));
    }

    private static async Task<ClientProcess> MqttJsAsync(int port, string clientId, bool holdAcks = false)
    {
        var node = ClientProcess.Node();
        var options = new { protocolVersion = 5, clean = false, clientId, properties = new { sessionExpiryInterval = 300 } };
        await node.SendAsync(new { op = "connect", url = $"mqtt://127.0.0.1:{port}", options, holdAcks });
        return node;
    }

    [Fact]
    public async Task AnMqttJsSessionGetsItsInFlightMessageWithDupAndItsQueuedQoS2MessageAfterARestart()
    {
        using var data = new TempDirectory();
        var (silo, port) = BrokerRig.Start(data);
        await using (silo)
        {
            await using (var device = await MqttJsAsync(port, "js-pager", holdAcks: true))
            {
                await device.WaitForEventAsync("connack");
                await device.SendAsync(new { op = "subscribe", topic = Escalations, options = new { qos = 2, properties = new { subscriptionIdentifier = 5 } } });
                await device.WaitForEventAsync("suback");
                await PublishAsync(port, Escalations, "in-flight", "-q", "1");
                await device.WaitForEventAsync("message"); // received, never acknowledged
                device.Kill();
            }

            await PublishAsync(port, Escalations, "queued", "-q", "2");
        }

        var (again, port2) = BrokerRig.Start(data);
        await using (again)
        {
            await using var device = await MqttJsAsync(port2, "js-pager");
            Assert.True((await device.WaitForEventAsync("connack"))["sessionPresent"]!.GetValue<bool>());
            var first = await device.WaitForEventAsync("message");
            var second = await device.WaitForEventAsync("message");
            Assert.Equal(("in-flight", true, 1), (first["payload"]!.GetValue<string>(), first["dup"]!.GetValue<bool>(), first["qos"]!.GetValue<int>()));
            Assert.Equal(("queued", false, 2), (second["payload"]!.GetValue<string>(), second["dup"]!.GetValue<bool>(), second["qos"]!.GetValue<int>()));
            Assert.Equal(5, second["properties"]!["subscriptionIdentifier"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task RetainedMessagesSurviveARestartButOneThatExpiredWhileTheSiloWasDownDoesNot()
    {
        using var data = new TempDirectory();
        var (silo, port) = BrokerRig.Start(data);
        await using (silo)
        {
            await PublishAsync(port, "rig/warning/kept", "kept", "-q", "1", "-r");
            await PublishAsync(port, "rig/warning/short", "short", "-q", "1", "-r", "-D", "publish", "message-expiry-interval", "3600");
        }

        Assert.Equal(1, BrokerRig.Sql(data, "UPDATE mqtt_retained SET expires_at_ms = 1 WHERE topic = 'rig/warning/short' RETURNING 1"));
        var (again, port2) = BrokerRig.Start(data);
        await using (again)
        {
            await using var sub = MqttClientProcess.Start("mosquitto_sub", port2, "-d", "-v", "-t", "rig/warning/#", "-C", "2");
            await sub.WaitForLineAsync("SUBACK");
            await PublishAsync(port2, "rig/warning/live", "live", "-q", "1");
            Assert.Equal(0, await sub.WaitForExitAsync());
            // The subscriber stops after two messages. Retained ones go out at SUBACK, before "live" is even published, so
            // an expired one restored by mistake would be one of the two. (MQTT orders messages per topic only, §4.6,
            // so the check does not depend on the order of the two topics.)
            var received = sub.Output.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("rig/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal(["rig/warning/kept kept", "rig/warning/live live"], received);
        }

        Assert.Equal(1, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_retained"));
    }

    [Fact]
    public async Task ASessionWhoseExpiryPassedWhileTheSiloWasDownIsRemovedWithItsMessages()
    {
        using var data = new TempDirectory();
        var (silo, port) = BrokerRig.Start(data);
        await using (silo)
        {
            await SubscribeAndLeaveAsync(port, "pager-2", Escalations, "-x", "600");
            await PublishAsync(port, Escalations, "esc-1", "-q", "1");
        }

        Assert.Equal(1, BrokerRig.Sql(data, "UPDATE mqtt_sessions SET expires_at_ms = 1 WHERE client_id = 'pager-2' RETURNING 1"));
        var (again, _) = BrokerRig.Start(data);
        await again.DisposeAsync();

        Assert.Equal(0, BrokerRig.Sql(data, "SELECT (SELECT COUNT(*) FROM mqtt_sessions) + (SELECT COUNT(*) FROM mqtt_subscriptions) + (SELECT COUNT(*) FROM mqtt_messages)"));
    }

    [Fact]
    public async Task AMessageAcknowledgedWithPubAckIsDeliveredAfterTheSiloIsKilled()
    {
        using var data = new TempDirectory();
        await using (var silo = await SiloProcess.StartAsync(data))
        {
            await SubscribeAndLeaveAsync(silo.MqttPort, "pager-3", Escalations);
            await PublishAsync(silo.MqttPort, Escalations, "esc-killed", "-q", "1");
            await silo.KillAsync(); // right after the PUBACK: no shutdown, no flush
        }

        await using var again = await SiloProcess.StartAsync(data);
        Assert.Equal([$"{Escalations} esc-killed"], await ReceiveAsync(again.MqttPort, "pager-3", Escalations, 1));
    }

    [Fact]
    public async Task AQoS2PublishResentWithDupAfterARestartIsNotDeliveredTwiceAndItsPubRelGetsPubCompSuccess()
    {
        using var data = new TempDirectory();
        var (silo, port) = BrokerRig.Start(data);
        await using (silo)
        {
            await SubscribeAndLeaveAsync(port, "pager-4", Escalations);
            var (device, _) = await RawQos2Device.ConnectAsync(port, "raw-4");
            await using (device)
            {
                await device.PublishQos2Async(42, Escalations, "sos-42");
                Assert.Equal(42, (await device.ExpectAckAsync(0x50)).PacketId); // PUBREC: the id is stored by now
            }
        }

        Assert.Equal(1, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_inbound_qos2 WHERE client_id = 'raw-4' AND packet_id = 42"));
        var (again, port2) = BrokerRig.Start(data);
        await using (again)
        {
            var (device, present) = await RawQos2Device.ConnectAsync(port2, "raw-4");
            await using (device)
            {
                Assert.True(present);
                await device.PublishQos2Async(42, Escalations, "sos-42", dup: true);
                Assert.Equal((42, (byte)0), await device.ExpectAckAsync(0x50));
                await device.PubRelAsync(42);
                Assert.Equal((42, (byte)0), await device.ExpectAckAsync(0x70)); // not 0x92 Packet Identifier not found
            }
        }

        // Queued once for the offline pager, not again for the DUP; the id went with the PUBREL.
        Assert.Equal(1, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_messages WHERE client_id = 'pager-4'"));
        Assert.Equal(0, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_inbound_qos2"));
    }

    [Fact]
    public async Task AWillWaitingOnItsDelayWhenTheSiloStopsIsPublishedAfterTheRestartOnceDue()
    {
        const string willTopic = "gridgov/v1/terminals/js-5/status";
        using var data = new TempDirectory();
        var (silo, port) = BrokerRig.Start(data);
        await using (silo)
        {
            await using var device = ClientProcess.Node();
            var will = new { topic = willTopic, payload = "js-5 lost", qos = 1, retain = true, properties = new { willDelayInterval = 600 } };
            var options = new { protocolVersion = 5, clean = false, clientId = "js-5", properties = new { sessionExpiryInterval = 3600 }, will };
            await device.SendAsync(new { op = "connect", url = $"mqtt://127.0.0.1:{port}", options });
            await device.WaitForEventAsync("connack");
            // The device drops off; the silo stops only once its connections are done, so the will is stored by then.
            device.Kill();
        }

        Assert.Equal(1, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_wills WHERE client_id = 'js-5'"));
        var (again, port2) = BrokerRig.Start(data);
        await using (again)
        {
            // Not due yet: the restored will waits, so nothing is retained on its topic.
            await PublishAsync(port2, "gridgov/v1/terminals/js-5/probe", "probe", "-q", "1");
            Assert.Equal(1, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_wills WHERE client_id = 'js-5'"));
        }

        Assert.Equal(1, BrokerRig.Sql(data, "UPDATE mqtt_wills SET due_at_ms = 1 WHERE client_id = 'js-5' RETURNING 1"));
        var (third, port3) = BrokerRig.Start(data);
        await using (third)
        {
            await using var sub = MqttClientProcess.Start("mosquitto_sub", port3, "-v", "-t", willTopic, "-C", "1");
            Assert.Equal(0, await sub.WaitForExitAsync());
            Assert.Contains($"{willTopic} js-5 lost", sub.Output, StringComparison.Ordinal);
        }

        Assert.Equal(0, BrokerRig.Sql(data, "SELECT COUNT(*) FROM mqtt_wills"));
    }
}
