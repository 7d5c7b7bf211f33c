using System.Globalization;
using System.Text.Json;
using GridGov.Realtime.Silo.Tests.Devices;

namespace GridGov.Realtime.Silo.Tests.Intake;

/// <summary>A grid worker's terminal (mosquitto_pub, MQTT 5.0, QoS 1) publishing field reports to the real host.</summary>
public sealed class FieldReportMqttTests(IntakeSiloFixture fx) : IClassFixture<IntakeSiloFixture>
{
    private static string Report(double lat, double lon, string description = "暴露垃圾 3 袋", string extra = "") => string.Create(CultureInfo.InvariantCulture,
        $$"""{"category":"event.0102","description":"{{description}}","lat":{{lat}},"lon":{{lon}},"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"photos":["https://media.example/w/1.jpg"]{{extra}}}""");

    private Task<(int Code, string Output)> PublishAsync(string workerId, string payload) =>
        MqttClientProcess.PublishAsync(fx.MqttPort, "-d", "-q", "1", "-u", workerId, "-P", IntakeSiloFixture.Password,
            "-t", $"gridgov/v1/terminals/{workerId}/report", "-m", payload);

    [Fact]
    public async Task A_field_report_published_twice_opens_exactly_one_patrol_case_acknowledged_once_durable()
    {
        var (worker, grid, lat, lon) = await fx.WorkerAsync(0);
        var payload = Report(lat, lon);

        // The same publish again is what a QoS 1 redelivery after a lost PUBACK looks like to the server.
        foreach (var attempt in new[] { 1, 2 })
        {
            var (code, output) = await PublishAsync(worker, payload);
            Assert.True(code == 0, output);
            Assert.Contains("PUBACK", output, StringComparison.Ordinal);
            Assert.DoesNotContain("failed", output, StringComparison.OrdinalIgnoreCase);
        }

        var one = Assert.Single(await fx.CasesInAsync(grid));
        Assert.Equal(("Reported", worker, "0102"), (one.GetProperty("status").GetString(), one.GetProperty("reportedBy").GetString(), one.GetProperty("categoryCode").GetString()));
        Assert.False(one.GetProperty("needsVerification").GetBoolean());
        Assert.Equal("https://media.example/w/1.jpg", one.GetProperty("attachments")[0].GetString());
    }

    [Fact]
    public async Task A_bad_report_is_refused_with_payload_format_invalid_and_creates_nothing()
    {
        var (worker, grid, lat, lon) = await fx.WorkerAsync(1);

        var (_, missing) = await PublishAsync(worker, Report(lat, lon).Replace("\"category\":\"event.0102\",", "", StringComparison.Ordinal));
        var (_, garbage) = await PublishAsync(worker, "{not json");

        foreach (var output in new[] { missing, garbage })
        {
            Assert.Contains("PUBACK", output, StringComparison.Ordinal);
            Assert.Contains("RC:153", output, StringComparison.Ordinal); // 0x99 payload format invalid
        }
        Assert.Empty(await fx.CasesInAsync(grid));
    }
}
