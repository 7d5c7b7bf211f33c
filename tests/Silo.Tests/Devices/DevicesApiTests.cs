using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Devices;

public sealed class DevicesApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

    private static Task<MqttAuthenticationResult> ConnectAsync(SiloFactory silo, string user, string password) =>
        silo.Services.GetRequiredService<IMqttAuthenticator>().AuthenticateAsync(
            new MqttAuthenticationContext("c-" + user, user, Encoding.UTF8.GetBytes(password), MqttProtocolVersion.V500, null), Ct).AsTask();

    [Fact]
    public async Task CreateReturnsTheSecretOnceAndTheListNeverShowsIt()
    {
        await using var silo = new SiloFactory();
        using var admin = await silo.CreateAdminClientAsync();

        using var created = await admin.PostAsJsonAsync("/api/devices", new { deviceId = "t-100", kind = "terminal", regionCode = "320508001" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        Assert.Equal("/api/devices/t-100", created.Headers.Location?.ToString());
        var body = await JsonAsync(created);
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Equal(43, secret.Length);
        Assert.Equal("terminal", body.GetProperty("kind").GetString());

        using var chosen = await admin.PostAsJsonAsync("/api/devices", new { deviceId = "s-7", kind = "sensor", regionCode = "320508", secret = "a-chosen-secret-123" }, Ct);
        Assert.Equal(HttpStatusCode.Created, chosen.StatusCode);
        Assert.Equal("a-chosen-secret-123", (await JsonAsync(chosen)).GetProperty("secret").GetString());

        var list = await admin.GetStringAsync("/api/devices", Ct);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain("a-chosen-secret-123", list, StringComparison.Ordinal);
        Assert.DoesNotContain("pbkdf2", list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", list, StringComparison.OrdinalIgnoreCase);
        var one = await admin.GetStringAsync("/api/devices/t-100", Ct);
        Assert.DoesNotContain("secret", one, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("320508001", JsonDocument.Parse(one).RootElement.GetProperty("regionCode").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/devices/nobody", Ct)).StatusCode);
        var page = JsonDocument.Parse(list).RootElement;
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var sensors = JsonDocument.Parse(await admin.GetStringAsync("/api/devices?kind=sensor&page=1", Ct)).RootElement;
        Assert.Equal(["s-7"], sensors.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));

        Assert.True((await ConnectAsync(silo, "t-100", secret)).Succeeded);
        var principal = (await ConnectAsync(silo, "s-7", "a-chosen-secret-123")).Principal!;
        Assert.Equal(MqttPrincipalKind.Sensor, principal.Kind);
        Assert.Equal(["gridgov/v1/sensors/s-7/#"], principal.PublishFilters);
        Assert.Equal(MqttReasonCode.BadUserNameOrPassword, (await ConnectAsync(silo, "t-100", "not-the-secret")).ReasonCode);
        // Not a device: the user accounts decide, as before.
        Assert.True((await ConnectAsync(silo, "admin", SiloFactory.AdminPassword)).Succeeded);
    }

    [Theory]
    [InlineData("""{"deviceId":"t/1","kind":"terminal","regionCode":"320508001"}""", "deviceId")]
    [InlineData("""{"deviceId":"t+1","kind":"terminal","regionCode":"320508001"}""", "deviceId")]
    [InlineData("""{"deviceId":"","kind":"terminal","regionCode":"320508001"}""", "deviceId")]
    [InlineData("""{"deviceId":"t-1","kind":"camera","regionCode":"320508001"}""", "kind")]
    [InlineData("""{"deviceId":"t-1","kind":"terminal","regionCode":"12"}""", "regionCode")]
    [InlineData("""{"deviceId":"t-1","kind":"terminal"}""", "regionCode")]
    [InlineData("""{"deviceId":"t-1","kind":"terminal","regionCode":"320508001","secret":"short"}""", "secret")]
    public async Task InvalidDevicesAre400NamingTheField(string json, string field)
    {
        await using var silo = new SiloFactory();
        using var admin = await silo.CreateAdminClientAsync();
        using var response = await admin.PostAsync("/api/devices", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, JsonDocument.Parse(await admin.GetStringAsync("/api/devices", Ct)).RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task DuplicatesAre409AndNonAdminsAre403()
    {
        await using var silo = new SiloFactory();
        using var admin = await silo.CreateAdminClientAsync();
        var device = new { deviceId = "t-1", kind = "terminal", regionCode = "320508001" };
        (await admin.PostAsJsonAsync("/api/devices", device, Ct)).EnsureSuccessStatusCode();
        using var again = await admin.PostAsJsonAsync("/api/devices", device, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var staff = await silo.CreateUserClientAsync("staff", "command_staff", "320508");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/devices", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.DeleteAsync("/api/devices/t-1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/devices?kind=camera", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/devices?page=0", Ct)).StatusCode);
    }

    [Fact]
    public async Task ImportIsAllOrNothingWithErrorsByLineAndColumn()
    {
        await using var silo = new SiloFactory();
        using var admin = await silo.CreateAdminClientAsync();
        const string bad = "device_id,kind,region_code\nt-1,terminal,320508001\nt/2,terminal,320508001\nt-1,sensor,320508\ns-3,camera,320508\n";
        using var rejected = await admin.PostAsync("/api/devices/import", new StringContent(bad, Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var errors = (await JsonAsync(rejected)).GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(3, "device_id"), (4, "device_id"), (5, "kind")], errors);
        Assert.Equal(0, JsonDocument.Parse(await admin.GetStringAsync("/api/devices", Ct)).RootElement.GetProperty("total").GetInt32());

        const string good = "device_id,kind,region_code\nt-1,terminal,320508001\ns-1,sensor,320508\n";
        using var imported = await admin.PostAsync("/api/devices/import", new StringContent(good, Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal("text/csv", imported.Content.Headers.ContentType?.MediaType);
        var lines = (await imported.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("device_id,secret", lines[0]);
        Assert.Equal(["t-1", "s-1"], lines[1..].Select(l => l.Split(',')[0]));
        Assert.True((await ConnectAsync(silo, "s-1", lines[2].Split(',')[1])).Succeeded);

        // A second import naming an existing id changes nothing either.
        using var clash = await admin.PostAsync("/api/devices/import", new StringContent("device_id,kind,region_code\nt-5,terminal,320508001\nt-1,terminal,320508001\n", Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.Contains("line 3", await clash.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(await admin.GetStringAsync("/api/devices", Ct)).RootElement.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsync("/api/devices/import", new StringContent(good, Encoding.UTF8, "application/json"), Ct)).StatusCode);
    }

    [Fact]
    public async Task RevokeIs204AndTheNextConnectIsNotAuthorized()
    {
        await using var silo = new SiloFactory();
        using var admin = await silo.CreateAdminClientAsync();
        using var created = await admin.PostAsJsonAsync("/api/devices", new { deviceId = "t-1", kind = "terminal", regionCode = "320508001" }, Ct);
        var secret = (await JsonAsync(created)).GetProperty("secret").GetString()!;
        Assert.True((await ConnectAsync(silo, "t-1", secret)).Succeeded);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/devices/t-1", Ct)).StatusCode);

        Assert.Equal(MqttReasonCode.NotAuthorized, (await ConnectAsync(silo, "t-1", secret)).ReasonCode);
        var listed = JsonDocument.Parse(await admin.GetStringAsync("/api/devices", Ct)).RootElement.GetProperty("items")[0];
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/devices/t-1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/devices/nobody", Ct)).StatusCode);
    }
}

public sealed class DevicesInstalledCityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMissingRegionComesFromTheDirectoryAndCodesMustBeInTheTree()
    {
        await using var silo = new SiloFactory();
        using var admin = await silo.CreateAdminClientAsync();
        var demo = GridGov.Realtime.Grains.Directory.DemoCity.Create();
        await demo.InstallAsync(silo.Services.GetRequiredService<GridGov.Realtime.Grains.Directory.DirectoryImportService>(), Ct);
        var workers = silo.Services.GetRequiredService<GridGov.Realtime.Grains.Directory.WorkerDirectory>();
        var worker = workers.Workers[0];
        var sensor = workers.Sensors[0];

        using var terminal = await admin.PostAsJsonAsync("/api/devices", new { deviceId = worker.WorkerId, kind = "terminal" }, Ct);
        Assert.Equal(HttpStatusCode.Created, terminal.StatusCode);
        var body = JsonDocument.Parse(await terminal.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(worker.RegionCode, body.GetProperty("regionCode").GetString());
        using var fixedSensor = await admin.PostAsJsonAsync("/api/devices", new { deviceId = sensor.SensorId, kind = "sensor" }, Ct);
        Assert.Equal(sensor.GridCode, JsonDocument.Parse(await fixedSensor.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("regionCode").GetString());

        // The terminal reads the warnings of its region and every region above it.
        var principal = (await silo.Services.GetRequiredService<IMqttAuthenticator>().AuthenticateAsync(
            new MqttAuthenticationContext("c", worker.WorkerId, Encoding.UTF8.GetBytes(body.GetProperty("secret").GetString()!), MqttProtocolVersion.V311, null), Ct)).Principal!;
        var scopes = silo.Services.GetRequiredService<GridGov.Realtime.Grains.Directory.IRegionDirectory>().ScopesOf(worker.RegionCode);
        foreach (var code in scopes) Assert.Contains($"gridgov/v1/regions/{code}/warning", principal.SubscribeFilters);
        Assert.Contains($"gridgov/v1/terminals/{worker.WorkerId}/tasks", principal.SubscribeFilters);

        using var outside = await admin.PostAsJsonAsync("/api/devices", new { deviceId = "t-x", kind = "terminal", regionCode = "320508001" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("not in the installed region tree", await outside.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
