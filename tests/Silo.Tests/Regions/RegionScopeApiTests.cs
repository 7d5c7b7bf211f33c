using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridGov.Realtime.Grains.Directory;

namespace GridGov.Realtime.Silo.Tests.Regions;

public sealed class RegionScopeApiTests(DemoSiloFixture fx) : IClassFixture<DemoSiloFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (double Lat, double Lon, string Grid) PointIn(string districtCode)
    {
        var grid = fx.Demo.City.Tree.Grids.First(g => g.Code.StartsWith(districtCode, StringComparison.Ordinal));
        var p = grid.Geometry.InteriorPoint;
        return (p.Y, p.X, grid.Code);
    }

    [Fact]
    public async Task ADistrictUserReadsItsOwnDistrictButNotAnother()
    {
        var own = await fx.District1.GetFromJsonAsync<JsonElement>("/api/regions/310101", Ct);
        Assert.Equal("district", own.GetProperty("level").GetString());
        Assert.Equal(["310101", "310100"], own.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.NotEqual(0, own.GetProperty("children").GetArrayLength());

        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync("/api/regions/310102", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync("/api/regions/310102001", Ct)).StatusCode);
    }

    [Fact]
    public async Task ADistrictUserSeesTheCityAsABreadcrumbWithOnlyItsOwnBranch()
    {
        var city = await fx.District1.GetFromJsonAsync<JsonElement>("/api/regions/310100", Ct);
        Assert.Equal(["310101"], city.GetProperty("children").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync("/api/regions/310100/geojson", Ct)).StatusCode);
    }

    [Fact]
    public async Task GeoJsonExportsOnlyTheSubtreeAndOnlyInsideTheScope()
    {
        var response = await fx.District1.GetAsync("/api/regions/310101/geojson", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var codes = doc.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("code").GetString()!).ToList();
        Assert.Equal(fx.Demo.City.Tree.Subtree("310101").Count(), codes.Count);
        Assert.All(codes, c => Assert.StartsWith("310101", c, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync("/api/regions/310102/geojson", Ct)).StatusCode);
    }

    [Fact]
    public async Task ACityScopeCoversItsDistrictsThoughTheirCodesDoNotShareItsFullPrefix()
    {
        Assert.Equal(HttpStatusCode.OK, (await fx.CityStaff.GetAsync("/api/regions/310102", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fx.CityStaff.GetAsync("/api/regions/310100/geojson", Ct)).StatusCode);
    }

    [Fact]
    public async Task LocateAnswersInsideTheScopeAndRefusesOutside()
    {
        var (lat, lon, grid) = PointIn("310101");
        var located = await fx.District1.GetFromJsonAsync<LocateReply>(FormattableString.Invariant($"/api/regions/locate?lat={lat}&lon={lon}"), Ct);
        Assert.Equal(grid, located!.Grid);
        Assert.Equal(5, located.Scopes.Count);
        Assert.Equal("310100", located.Scopes[^1]);

        var other = PointIn("310102");
        var response = await fx.District1.GetAsync(FormattableString.Invariant($"/api/regions/locate?lat={other.Lat}&lon={other.Lon}"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task LocateExplainsMissingOrBadCoordinatesAndPointsOutsideTheCity()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await fx.Admin.GetAsync("/api/regions/locate?lat=31.2", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fx.Admin.GetAsync("/api/regions/locate?lat=95&lon=121", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.Admin.GetAsync("/api/regions/locate?lat=10&lon=10", Ct)).StatusCode);
    }

    [Fact]
    public async Task UnknownAndMalformedCodesAreNotFoundAndBadRequest()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await fx.Admin.GetAsync("/api/regions/310109", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fx.Admin.GetAsync("/api/regions/31x", Ct)).StatusCode);
    }

    [Fact]
    public async Task ADistrictUserListsOnlyItsOwnWorkersAndSensors()
    {
        var page = await fx.District1.GetFromJsonAsync<JsonElement>("/api/workers?pageSize=500", Ct);
        var codes = page.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("regionCode").GetString()!).ToList();
        Assert.NotEmpty(codes);
        Assert.All(codes, c => Assert.StartsWith("310101", c, StringComparison.Ordinal));
        Assert.Equal(codes.Count, page.GetProperty("total").GetInt32());
        Assert.True(codes.Count < fx.Demo.WorkerCount);

        var sensors = await fx.District1.GetFromJsonAsync<JsonElement>("/api/sensors?region=310101001&pageSize=500", Ct);
        Assert.All(sensors.GetProperty("items").EnumerateArray(), s => Assert.StartsWith("310101001", s.GetProperty("gridCode").GetString(), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync("/api/workers?region=310102", Ct)).StatusCode);
    }

    [Fact]
    public async Task ADistrictUserCannotReadAnotherDistrictsWorkerOrSensor()
    {
        var directory = fx.Factory.Services.GetService(typeof(WorkerDirectory)) as WorkerDirectory;
        var mine = directory!.Workers.First(w => w.RegionCode.StartsWith("310101", StringComparison.Ordinal));
        var theirs = directory.Workers.First(w => w.RegionCode.StartsWith("310102", StringComparison.Ordinal));
        var theirSensor = directory.Sensors.First(s => s.GridCode.StartsWith("310102", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await fx.District1.GetAsync($"/api/workers/{mine.WorkerId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync($"/api/workers/{theirs.WorkerId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync($"/api/sensors/{theirSensor.SensorId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.Admin.GetAsync("/api/workers/nobody", Ct)).StatusCode);
    }

    [Fact]
    public async Task PagingWalksTheWholeListInIdOrder()
    {
        var first = await fx.Admin.GetFromJsonAsync<JsonElement>("/api/workers?page=1&pageSize=100", Ct);
        var last = await fx.Admin.GetFromJsonAsync<JsonElement>($"/api/workers?page={(fx.Demo.WorkerCount + 99) / 100}&pageSize=100", Ct);
        Assert.Equal(fx.Demo.WorkerCount, first.GetProperty("total").GetInt32());
        Assert.Equal("w0001", first.GetProperty("items")[0].GetProperty("workerId").GetString());
        Assert.Equal(fx.Demo.WorkerCount % 100 == 0 ? 100 : fx.Demo.WorkerCount % 100, last.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await fx.Admin.GetAsync("/api/workers?pageSize=501", Ct)).StatusCode);
    }

    [Fact]
    public async Task OnlyAdminsMayImport()
    {
        using var csv = new StringContent("worker_id,name,role,region_code,assigned_grids,active\n", System.Text.Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.CityStaff.PostAsync("/api/workers/import", csv, Ct)).StatusCode);
        using var json = new StringContent(fx.Demo.ToGeoJson(), System.Text.Encoding.UTF8, "application/geo+json");
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.CityStaff.PostAsync("/api/regions/import", json, Ct)).StatusCode);
    }

    private sealed record LocateReply(double Lat, double Lon, string Grid, IReadOnlyList<string> Scopes);
}
