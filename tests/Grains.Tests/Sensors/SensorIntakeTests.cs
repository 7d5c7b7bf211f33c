using System.Text;
using GridGov.Realtime.Grains.Sensors;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Grains.Tests.Sensors;

public sealed class SensorIntakeTests
{
    private static ReadOnlyMemory<byte> Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Accepts_a_registered_sensors_event_and_tells_its_grain()
    {
        await using var f = await SensorFixture.StartAsync();
        var intake = f.Host.Services.GetRequiredService<SensorIntake>();
        var now = f.Time.GetUtcNow().ToUnixTimeMilliseconds();

        var result = await intake.HandleAsync("s1", SensorTopic.Event, Utf8($$"""{"type":"waterlogging","severity":"medium","ts":{{now}}}"""));
        Assert.True(result.IsAccepted, result.Reason);
        var window = Assert.Single((await f.Sensor().Get()).Windows);
        Assert.Equal("0104", (await f.CaseAsync(window.CaseId!)).CategoryCode);

        Assert.True((await intake.HandleAsync("s1", SensorTopic.Heartbeat, Utf8($$"""{"ts":{{now}}}"""))).IsAccepted);
    }

    [Fact]
    public async Task Rejects_unknown_inactive_and_malformed_without_touching_a_grain()
    {
        await using var f = await SensorFixture.StartAsync();
        var intake = f.Host.Services.GetRequiredService<SensorIntake>();
        var now = f.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var good = Utf8($$"""{"type":"smoke","severity":3,"ts":{{now}}}""");

        Assert.Equal(SensorIntakeStatus.UnknownSensor, (await intake.HandleAsync("nobody", SensorTopic.Event, good)).Status);
        Assert.Equal(SensorIntakeStatus.UnknownSensor, (await intake.HandleAsync("s-off", SensorTopic.Event, good)).Status);
        Assert.Equal(SensorIntakeStatus.InvalidSensor, (await intake.HandleAsync(new string('x', 65), SensorTopic.Event, good)).Status);
        Assert.Equal(SensorIntakeStatus.InvalidSensor, (await intake.HandleAsync("", SensorTopic.Heartbeat, good)).Status);
        var bad = await intake.HandleAsync("s1", SensorTopic.Event, Utf8("{\"type\":\"smoke\"}"));
        Assert.Equal(SensorIntakeStatus.InvalidPayload, bad.Status);
        Assert.Contains("severity", bad.Reason, StringComparison.Ordinal);
        Assert.Equal(SensorIntakeStatus.InvalidPayload, (await intake.HandleAsync("s1", SensorTopic.Heartbeat, Utf8("{}"))).Status);

        var snap = await f.Sensor().Get();
        Assert.Empty(snap.Windows);
        Assert.False(snap.Online);
        Assert.Empty(f.Feed.Alerts);
    }
}
