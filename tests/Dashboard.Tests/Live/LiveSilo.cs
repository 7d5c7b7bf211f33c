using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Dashboard.Tests.Live;

/// <summary>
/// The real host (Program) on real Kestrel sockets at 127.0.0.1 on a free port, so out-of-process clients
/// (node, Chromium) can connect. The region tree is a synthetic city; until the regions API is merged a
/// test-only middleware answers <c>GET /api/regions/{code}/geojson</c> from it.
/// </summary>
public sealed class LiveSilo : IAsyncLifetime
{
    public const string AdminPassword = "correct-horse-battery-staple";
    private readonly TempDirectory _data = new();
    private Factory? _factory;

    public SyntheticCity City { get; } = SyntheticCity.Generate();
    public string BaseUrl { get; private set; } = "";
    public ILiveFeed Feed => _factory!.Services.GetRequiredService<ILiveFeed>();
    public IServiceProvider Services => _factory!.Services;

    /// <summary>The first two districts of the city, for "in scope" and "out of scope".</summary>
    public RegionNode DistrictA => City.Tree.All().Where(n => n.Level == RegionLevel.District).First();
    public RegionNode DistrictB => City.Tree.All().Where(n => n.Level == RegionLevel.District).Skip(1).First();

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _factory = new Factory(_data.Path, port);
        _factory.UseKestrel();
        _factory.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        (await http.GetAsync("/healthz")).EnsureSuccessStatusCode();

        // The page draws what the real regions API exports, so the city goes in through the real import.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("admin", AdminPassword));
        using var body = new StringContent(City.ToGeoJson(), System.Text.Encoding.UTF8, "application/geo+json");
        (await http.PostAsync("/api/regions/import", body)).EnsureSuccessStatusCode();
    }

    /// <summary>The port the server's MQTT TCP listener bound.</summary>
    public int MqttPort => _factory!.Services.GetRequiredService<GridGov.Realtime.Edge.EdgeEndpoints>().Get("tcp")!.Port;

    /// <summary>POSTs a body to an admin-only route with the admin's token.</summary>
    public async Task AdminPostAsync(string path, string body, string contentType)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("admin", AdminPassword));
        using var content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        var response = await http.PostAsync(path, content);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A command-staff user scoped to <paramref name="scope"/>, created through the admin API.</summary>
    public Task<string> CreateUserAsync(string userName, string password, string scope) => CreateUserAsync(userName, password, scope, "command_staff");

    public async Task<string> CreateUserAsync(string userName, string password, string scope, string role)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("admin", AdminPassword));
        var created = await http.PostAsJsonAsync("/api/users", new { username = userName, password, role, region_scope = scope });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await TokenAsync(userName, password);
    }

    public async Task<string> TokenAsync(string userName, string password)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username = userName, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenReply>())!.access_token;
    }

    /// <summary>A fix at a point inside <paramref name="grid"/>, with the grid and all its ancestors as scopes.</summary>
    public static WorkerPositionUpdate FixIn(RegionNode grid, string workerId)
    {
        var point = grid.Geometry.InteriorPoint;
        var scopes = new List<string>();
        for (var n = grid; n is not null; n = n.Parent) scopes.Add(n.Code);
        return new(workerId, grid.Code, scopes, point.Y, point.X, 5, 1.1, 0, 90, WorkerStatus.OnDuty, DateTimeOffset.UtcNow);
    }

    public static RegionNode FirstGridOf(RegionNode region) =>
        region.Level == RegionLevel.Grid ? region : FirstGridOf(region.Children[0]);

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        _data.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record TokenReply(string access_token);

    private sealed class Factory(string dataDirectory, int port) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Silo:DataDirectory", dataDirectory);
            builder.UseSetting("Silo:HttpAddress", "127.0.0.1");
            builder.UseSetting("Silo:HttpPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Auth:InitialAdminPassword", AdminPassword);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Edge:TcpPort", "0"); // an ephemeral port: never collide with a broker on 1883
        }
    }
}
