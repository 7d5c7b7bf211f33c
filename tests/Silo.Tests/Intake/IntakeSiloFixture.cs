using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.Silo.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Intake;

/// <summary>
/// The real host on Kestrel (HTTP and the MQTT edge on ephemeral loopback ports) with the demo city and its workers,
/// a responsibility table, and accounts: an integration for the whole city, one for a single district, a department
/// handler, and grid-worker logins for MQTT. Tests use distinct grids and workers so they do not see each other's cases.
/// </summary>
public sealed class IntakeSiloFixture : IAsyncLifetime
{
    public const string Password = "a-long-enough-password";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SiloFactory Factory { get; private set; } = null!;
    public DemoCity Demo { get; } = DemoCity.Create();
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Integration { get; private set; } = null!;
    public HttpClient DistrictIntegration { get; private set; } = null!;
    public HttpClient Handler { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;
    public int MqttPort { get; private set; }
    public string CityCode => Demo.City.Tree.Roots[0].Code;
    public string OtherDistrict => Demo.City.Tree.Roots[0].Children[1].Code;
    public IGrainFactory Grains => Factory.Services.GetRequiredService<IGrainFactory>();
    public IWorkerDirectory Workers => Factory.Services.GetRequiredService<IWorkerDirectory>();

    public async ValueTask InitializeAsync()
    {
        var httpPort = FreePort();
        Factory = new SiloFactory(new()
        {
            ["Silo:HttpAddress"] = "127.0.0.1",
            ["Silo:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["Edge:ListenAddress"] = "127.0.0.1",
            ["Edge:TcpPort"] = "0",
            ["Edge:ConnectionsPerSecondPerAddress"] = "0",
            ["Responsibility:Rules:0:Kind"] = "Event",
            ["Responsibility:Rules:0:Category"] = "0102",
            ["Responsibility:Rules:0:Region"] = "",
            ["Responsibility:Rules:0:Department"] = "city-sanitation",
            ["Responsibility:Rules:1:Kind"] = "Event",
            ["Responsibility:Rules:1:Category"] = "01",
            ["Responsibility:Rules:1:Region"] = Demo.City.Tree.Roots[0].Children[0].Code,
            ["Responsibility:Rules:1:Department"] = "district-cityscape",
        });
        Factory.UseKestrel();
        Factory.StartServer();
        MqttPort = Factory.Services.GetRequiredService<EdgeEndpoints>().Get("tcp")!.Port;
        var baseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        Anonymous = new HttpClient { BaseAddress = baseAddress };
        Admin = await LoginAsync(baseAddress, "admin", SiloFactory.AdminPassword);
        await Demo.InstallAsync(Factory.Services.GetRequiredService<DirectoryImportService>(), Ct);
        Integration = await CreateUserAsync(baseAddress, "app-12345", Roles.Integration, CityCode);
        DistrictIntegration = await CreateUserAsync(baseAddress, "app-district", Roles.Integration, OtherDistrict);
        Handler = await CreateUserAsync(baseAddress, "water-handler", Roles.DepartmentHandler, CityCode);
    }

    /// <summary>A demo grid worker with their first assigned grid and a point inside it; also creates their MQTT login.</summary>
    public async Task<(string WorkerId, string Grid, double Lat, double Lon)> WorkerAsync(int index, bool login = true)
    {
        var worker = Workers is WorkerDirectory d
            ? d.Workers.Where(w => w.Role == WorkerRoles.GridWorker && w.AssignedGrids.Count > 0).ElementAt(index)
            : throw new InvalidOperationException("The host's worker directory is not the real one.");
        var grid = worker.AssignedGrids[0];
        var p = Demo.City.Tree.Find(grid)!.Geometry.InteriorPoint;
        if (login)
        {
            using var created = await Admin.PostAsJsonAsync("/api/users", new { username = worker.WorkerId, password = Password, role = Roles.GridWorker, region_scope = worker.RegionCode }, Ct);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        }
        return (worker.WorkerId, grid, p.Y, p.X);
    }

    /// <summary>Puts a worker on duty at a point (as their terminal and the duty roster would).</summary>
    public async Task OnDutyAtAsync(string workerId, double lat, double lon)
    {
        var worker = Grains.GetGrain<IWorkerGrain>(workerId);
        await worker.SetDuty(true);
        await worker.ReportPositions([new PositionFix(lat, lon, 5, 0, 0, 90, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())]);
        Assert.Equal(GridGov.Realtime.Grains.Live.WorkerStatus.OnDuty, (await worker.Get()).Status);
    }

    /// <summary>The full views (GET /api/cases/{id}) of the cases the listing shows in the region.</summary>
    public async Task<JsonElement[]> CasesInAsync(string region)
    {
        var listed = await Admin.GetFromJsonAsync<JsonElement>($"/api/cases?region={region}", Ct);
        var views = new List<JsonElement>();
        foreach (var item in listed.EnumerateArray())
            views.Add(await Admin.GetFromJsonAsync<JsonElement>($"/api/cases/{item.GetProperty("id").GetString()}", Ct));
        return [.. views];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in new[] { Admin, Integration, DistrictIntegration, Handler, Anonymous }) c?.Dispose();
        await Factory.DisposeAsync();
    }

    private async Task<HttpClient> CreateUserAsync(Uri baseAddress, string username, string role, string scope)
    {
        using var created = await Admin.PostAsJsonAsync("/api/users", new { username, password = Password, role, region_scope = scope }, Ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        return await LoginAsync(baseAddress, username, Password);
    }

    private static async Task<HttpClient> LoginAsync(Uri baseAddress, string username, string password)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        using var token = await client.PostAsJsonAsync("/api/auth/token", new { username, password }, Ct);
        token.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString());
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
