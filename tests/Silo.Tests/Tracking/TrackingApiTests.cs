using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Tests.Tracking;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Tracking;

public sealed class TrackingApiTests
{
    private static readonly SyntheticCity City = SyntheticCity.Generate(new SyntheticCityOptions
    {
        Districts = 2, StreetsPerDistrict = 1, CommunitiesPerStreet = 1, GridsPerCommunity = 4, Jitter = 0,
    });
    private static readonly RegionNode Grid = City.Tree.Grids[0];
    private static readonly string District = Grid.Parent!.Parent!.ParentCode!;
    private static readonly string OtherDistrict = City.Tree.Grids[^1].Parent!.Parent!.ParentCode!;

    private static (WebApplicationFactoryClient Factory, SiloFactory Inner) Start()
    {
        var inner = new SiloFactory();
        var workers = new FakeWorkerDirectory();
        workers.Add("wk1", Grid.ParentCode!, Grid.Code);
        var factory = inner.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<IRegionDirectory>(new FakeRegionDirectory(City.Tree));
            s.AddSingleton<IWorkerDirectory>(workers);
        }));
        return (new WebApplicationFactoryClient(factory), inner);
    }

    private sealed class WebApplicationFactoryClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory)
    {
        public HttpClient Create() => factory.CreateClient();
    }

    private static async Task<HttpClient> LoginAsync(WebApplicationFactoryClient f, string user, string password)
    {
        var client = f.Create();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("access_token").GetString());
        return client;
    }

    private static async Task CreateUserAsync(HttpClient admin, string name, string role, string scope) =>
        (await admin.PostAsJsonAsync("/api/users", new { username = name, password = "a-long-enough-password", role, region_scope = scope },
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

    private static string OsmAnd(string id)
    {
        var c = Grid.Geometry.InteriorPoint;
        return FormattableString.Invariant($"/api/osmand?id={id}&lat={c.Y}&lon={c.X}&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&speed=2&bearing=90&batt=80&accuracy=5");
    }

    [Fact]
    public async Task GridWorkerReportsOnlyForItselfAndScopedStaffSeeTheTrack()
    {
        var (f, inner) = Start();
        using var owner = inner;
        var admin = await LoginAsync(f, "admin", SiloFactory.AdminPassword);
        await CreateUserAsync(admin, "wk1", "grid_worker", Grid.ParentCode!);
        await CreateUserAsync(admin, "near", "command_staff", District);
        await CreateUserAsync(admin, "far", "command_staff", OtherDistrict);
        var worker = await LoginAsync(f, "wk1", "a-long-enough-password");
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync(OsmAnd("wk1"), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync(OsmAnd("wk2"), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Create().GetAsync(OsmAnd("wk1"), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await worker.GetAsync("/api/osmand?id=wk1&lat=95&lon=1", ct)).StatusCode);
        var staff = await LoginAsync(f, "near", "a-long-enough-password");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync(OsmAnd("wk1"), ct)).StatusCode);

        var track = await staff.GetAsync("/api/workers/wk1/track", ct);
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        Assert.Equal("application/geo+json", track.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await track.Content.ReadAsStringAsync(ct));
        Assert.Equal("Point", doc.RootElement.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("properties").GetProperty("times").GetArrayLength());

        var far = await LoginAsync(f, "far", "a-long-enough-password");
        Assert.Equal(HttpStatusCode.Forbidden, (await far.GetAsync("/api/workers/wk1/track", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/workers/nobody/track", ct)).StatusCode);

        var patrol = await staff.GetAsync("/api/workers/wk1/patrol", ct);
        Assert.Equal(HttpStatusCode.OK, patrol.StatusCode);
        using var p = JsonDocument.Parse(await patrol.Content.ReadAsStringAsync(ct));
        Assert.Equal(1, p.RootElement.GetProperty("fixes").GetInt32());
        Assert.True(p.RootElement.GetProperty("cellsVisited").GetInt32() == 1);
    }
}
