using System.Globalization;
using System.Net;
using System.Text.Json;
using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Tests.Devices;

namespace GridGov.Realtime.Silo.Tests.Responders;

/// <summary>
/// Real MQTT clients (mosquitto_sub / mosquitto_pub, MQTT 5) against the host on fake time: an SOS from a terminal
/// reaches an offline responder when its persistent session reconnects, and the responder acknowledges over MQTT.
/// </summary>
public sealed class ResponderMqttTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOfflineResponderGetsTheEscalationOnReconnectAndAcknowledgesItOverMqtt()
    {
        await using var silo = await ResponderSilo.StartAsync();
        var street = silo.Street(3, 0);
        var staff = await silo.UserAsync("mq-d3", Roles.CommandStaff, "310103");
        await silo.UserAsync("mq-resp", Roles.Responder, street.Code);
        await silo.UserAsync("mq-other", Roles.Responder, street.Code);
        await silo.UserAsync("mq-worker", Roles.GridWorker, street.Code);
        Assert.Equal(HttpStatusCode.OK, (await silo.PutRosterAsync(staff, street.Code, "mq-resp")).StatusCode);
        var topic = ResponderTopics.Escalations("mq-resp");
        string[] session = ["-u", "mq-resp", "-P", ResponderSilo.Password, "-i", "mq-resp-phone", "-c", "-x", "3600", "-q", "1", "-t", topic];

        // The responder's phone subscribes with a persistent session, then goes offline.
        await using (var phone = MqttClientProcess.Start("mosquitto_sub", silo.MqttPort, [.. session, "-d"]))
        {
            await phone.WaitForLineAsync("SUBACK");
        }

        var grid = street.Children[0].Children[0].Geometry.InteriorPoint;
        var sos = string.Create(CultureInfo.InvariantCulture, $$"""{"lat":{{grid.Y}},"lon":{{grid.X}},"ts":{{silo.Time.GetUtcNow().ToUnixTimeMilliseconds()}},"note":"fell"}""");
        var (code, output) = await MqttClientProcess.PublishAsync(silo.MqttPort, "-q", "1", "-u", "mq-worker", "-P", ResponderSilo.Password,
            "-t", "gridgov/v1/terminals/mq-worker/sos", "-m", sos);
        Assert.True(code == 0, output);
        var sent = await silo.Sent.WaitAsync("mq-resp");
        Assert.StartsWith("alert:mq-worker:sos:", sent.EscalationId, StringComparison.Ordinal);

        // Back online: the queued escalation arrives.
        await using (var phone = MqttClientProcess.Start("mosquitto_sub", silo.MqttPort, [.. session, "-v", "-C", "1"]))
        {
            await phone.WaitForLineAsync(sent.EscalationId);
            Assert.Equal(0, await phone.WaitForExitAsync());
            var line = phone.Output.Split('\n').First(l => l.StartsWith(topic, StringComparison.Ordinal));
            var notice = JsonDocument.Parse(line[(topic.Length + 1)..]).RootElement;
            Assert.Equal(sent.EscalationId, notice.GetProperty("escalationId").GetString());
            Assert.Equal(street.Code, notice.GetProperty("rosterRegion").GetString());
            Assert.Equal(ResponderTopics.Ack("mq-resp"), notice.GetProperty("ackTopic").GetString());
            Assert.Contains("fell", notice.GetProperty("summary").GetString(), StringComparison.Ordinal);
        }

        var ack = $$"""{"escalationId":"{{sent.EscalationId}}"}""";
        // Another responder may not ack under mq-resp's topic (ACL), nor take it under its own (not theirs).
        var (_, spoofed) = await MqttClientProcess.PublishAsync(silo.MqttPort, "-d", "-q", "1", "-u", "mq-other", "-P", ResponderSilo.Password,
            "-t", ResponderTopics.Ack("mq-resp"), "-m", ack);
        Assert.Contains("not authori", spoofed, StringComparison.OrdinalIgnoreCase);
        var (_, notTheirs) = await MqttClientProcess.PublishAsync(silo.MqttPort, "-d", "-q", "1", "-u", "mq-other", "-P", ResponderSilo.Password,
            "-t", ResponderTopics.Ack("mq-other"), "-m", ack);
        Assert.Contains("not authori", notTheirs, StringComparison.OrdinalIgnoreCase);
        var (_, garbage) = await MqttClientProcess.PublishAsync(silo.MqttPort, "-d", "-q", "1", "-u", "mq-resp", "-P", ResponderSilo.Password,
            "-t", ResponderTopics.Ack("mq-resp"), "-m", "{\"id\":1}");
        Assert.Contains("payload format invalid", garbage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Pending", (await ResponderSilo.JsonOf(await staff.GetAsync($"/api/escalations/{sent.EscalationId}", Ct))).GetProperty("status").GetString());

        var (acked, ackOutput) = await MqttClientProcess.PublishAsync(silo.MqttPort, "-d", "-q", "1", "-u", "mq-resp", "-P", ResponderSilo.Password,
            "-t", ResponderTopics.Ack("mq-resp"), "-m", ack);
        Assert.True(acked == 0, ackOutput);
        Assert.Contains("PUBACK", ackOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", ackOutput, StringComparison.OrdinalIgnoreCase);

        // The PUBACK came after the acknowledgement was stored.
        var view = await ResponderSilo.JsonOf(await staff.GetAsync($"/api/escalations/{sent.EscalationId}", Ct));
        Assert.Equal(("Acknowledged", "mq-resp", "mqtt"),
            (view.GetProperty("status").GetString(), view.GetProperty("acknowledgedBy").GetString(), view.GetProperty("acknowledgedVia").GetString()));
    }
}
