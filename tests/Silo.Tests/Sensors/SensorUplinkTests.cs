using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Sensors;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Edge;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Sensors;

/// <summary>The real host with the demo city's regions and two sensors imported through the CSV API.</summary>
public sealed class SensorSiloFixture : IAsyncLifetime
{
    public SiloFactory Factory { get; } = new();
    public DemoCity Demo { get; } = DemoCity.Create();
    public HttpClient Admin { get; private set; } = null!;
    public string Grid { get; private set; } = "";

    public IMqttUplinkHandler Handler => Factory.Services.GetServices<IMqttUplinkHandler>().OfType<SensorUplinkHandler>().Single();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Admin = await Factory.CreateAdminClientAsync();
        await Demo.InstallAsync(Factory.Services.GetRequiredService<DirectoryImportService>(), ct);
        var grid = Demo.City.Tree.Grids[0];
        Grid = grid.Code;
        var c = grid.Geometry.InteriorPoint;
        var csv = string.Create(CultureInfo.InvariantCulture,
            $"sensor_id,type,grid_code,lat,lon,active\nmh-1,manhole_cover,{Grid},{c.Y},{c.X},true\ncam-old,camera,{Grid},{c.Y},{c.X},false\n");
        using var content = new StringContent(csv, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var imported = await Admin.PostAsync("/api/sensors/import", content, ct);
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync(ct));
    }

    public async Task<MqttUplinkVerdict> PublishAsync(string topic, string payload) =>
        await Handler.OnPublishAsync(new MqttUplinkMessage(
            "client-1", new MqttPrincipal("device", MqttPrincipalKind.Sensor, [topic], []), topic, Encoding.UTF8.GetBytes(payload),
            MqttQualityOfService.AtLeastOnce, false, null), TestContext.Current.CancellationToken);

    /// <summary>The sensor grain's mailbox is FIFO: once Get answers, the one-way publish before it was handled.</summary>
    public Task<SensorSnapshot> SettleAsync(string sensorId) => Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ISensorGrain>(sensorId).Get();

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
    }
}

public sealed class SensorUplinkTests(SensorSiloFixture fx) : IClassFixture<SensorSiloFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("gridgov/v1/sensors/mh-1/event", "mh-1", SensorTopic.Event)]
    [InlineData("gridgov/v1/sensors/mh-1/heartbeat", "mh-1", SensorTopic.Heartbeat)]
    public void Parses_sensor_topics(string topic, string id, SensorTopic kind)
    {
        Assert.True(SensorUplinkHandler.TryParse(topic, out var sensorId, out var parsed));
        Assert.Equal((id, kind), (sensorId, parsed));
    }

    [Theory]
    [InlineData("gridgov/v1/sensors/mh-1/status")]
    [InlineData("gridgov/v1/sensors//event")]
    [InlineData("gridgov/v1/terminals/w1/position")]
    [InlineData("gridgov/v1/sensors/mh-1")]
    public void Other_topics_are_not_the_sensor_handlers(string topic) =>
        Assert.False(SensorUplinkHandler.TryParse(topic, out _, out _));

    [Fact]
    public async Task Verdicts_accept_good_payloads_and_reject_bad_ones_and_unknown_sensors()
    {
        Assert.True((await fx.PublishAsync("gridgov/v1/sensors/mh-1/heartbeat", $$"""{"ts":{{Now}},"status":"ok"}""")).IsAccepted);
        Assert.True((await fx.SettleAsync("mh-1")).Online);

        var bad = await fx.PublishAsync("gridgov/v1/sensors/mh-1/event", """{"type":"smoke","severity":9,"ts":1}""");
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, bad.ReasonCode);
        Assert.Contains("severity", bad.Reason, StringComparison.Ordinal);
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, (await fx.PublishAsync("gridgov/v1/sensors/mh-1/heartbeat", "not json")).ReasonCode);

        var unknown = await fx.PublishAsync("gridgov/v1/sensors/ghost/event", $$"""{"type":"smoke","severity":3,"ts":{{Now}}}""");
        Assert.Equal(MqttReasonCode.NotAuthorized, unknown.ReasonCode);
        Assert.Equal(MqttReasonCode.NotAuthorized, (await fx.PublishAsync("gridgov/v1/sensors/cam-old/heartbeat", $$"""{"ts":{{Now}}}""")).ReasonCode);
        Assert.True((await fx.PublishAsync("gridgov/v1/terminals/w1/whatever", "x")).IsAccepted); // someone else's topic
    }

    [Fact]
    public async Task A_published_manhole_event_becomes_one_case_in_verifying_visible_through_the_cases_api()
    {
        var payload = $$"""{"type":"manhole_cover_open","severity":"high","ts":{{Now}},"media":["https://media.example/mh-1/1.jpg"]}""";
        Assert.True((await fx.PublishAsync("gridgov/v1/sensors/mh-1/event", payload)).IsAccepted);
        Assert.True((await fx.PublishAsync("gridgov/v1/sensors/mh-1/event", payload)).IsAccepted); // QoS 1 redelivery
        var snap = await fx.SettleAsync("mh-1");
        var window = Assert.Single(snap.Windows, w => w.Type == "manhole_cover_open");
        Assert.Equal(1, window.Count);

        using var staff = await fx.Factory.CreateUserClientAsync("sensor-staff", Roles.CommandStaff, fx.Grid[..6]);
        var cases = await staff.GetFromJsonAsync<JsonElement>($"/api/cases?region={fx.Grid}", Ct);
        var one = Assert.Single(cases.EnumerateArray());
        Assert.Equal(window.CaseId, one.GetProperty("id").GetString());
        Assert.Equal("Verifying", one.GetProperty("status").GetString());
        Assert.Equal("0101", one.GetProperty("categoryCode").GetString());
        Assert.Equal("sensor:mh-1", one.GetProperty("reportedBy").GetString());

        var history = await staff.GetAsync($"/api/cases/{window.CaseId}/history", Ct);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Contains("https://media.example/mh-1/1.jpg", await history.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
