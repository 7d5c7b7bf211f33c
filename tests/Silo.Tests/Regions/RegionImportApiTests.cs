using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Silo.Tests.Regions;

public sealed class RegionImportApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent GeoJson(string text) => new(text, Encoding.UTF8, "application/geo+json");

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    /// <summary>The demo GeoJSON with the name of feature <paramref name="index"/> removed.</summary>
    private static (string Json, string Code) WithoutName(DemoCity demo, int index)
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(demo.ToGeoJson())!;
        var props = doc["features"]![index]!["properties"]!.AsObject();
        props.Remove("name");
        return (doc.ToJsonString(), props["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportingACityAnswersCountsPerLevelAndInstallsIt()
    {
        using var factory = new SiloFactory();
        using var admin = await factory.CreateAdminClientAsync();
        var demo = DemoCity.Create();

        var response = await admin.PostAsync("/api/regions/import", GeoJson(demo.ToGeoJson()), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(324, body.GetProperty("counts").GetProperty("grid").GetInt32());
        Assert.Equal(3, body.GetProperty("counts").GetProperty("district").GetInt32());
        Assert.Equal(demo.City.Tree.Count, body.GetProperty("total").GetInt32());
        Assert.True(body.GetProperty("elapsedMs").GetDouble() > 0);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/regions/310101", Ct)).StatusCode);
    }

    [Fact]
    public async Task ABadFeatureIsRejectedByNameAndThePreviousTreeStaysInstalled()
    {
        using var factory = new SiloFactory();
        using var admin = await factory.CreateAdminClientAsync();
        var demo = DemoCity.Create();
        (await admin.PostAsync("/api/regions/import", GeoJson(demo.ToGeoJson()), Ct)).EnsureSuccessStatusCode();
        var before = await admin.GetFromJsonAsync<JsonElement>("/api/regions/310101", Ct);

        var (broken, code) = WithoutName(demo, 40);
        var response = await admin.PostAsync("/api/regions/import", GeoJson(broken), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(40, error.GetProperty("featureIndex").GetInt32());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("properties.name", error.GetProperty("field").GetString());
        var after = await admin.GetFromJsonAsync<JsonElement>("/api/regions/310101", Ct);
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/regions/{code}", Ct)).StatusCode);
    }

    [Fact]
    public async Task MalformedJsonAndAWrongContentTypeAreRejected()
    {
        using var factory = new SiloFactory();
        using var admin = await factory.CreateAdminClientAsync();
        var bad = await admin.PostAsync("/api/regions/import", GeoJson("{\"type\":\"FeatureCollection\",\"features\":[}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"line\":1", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var wrongType = await admin.PostAsync("/api/regions/import", Csv("a,b\n"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    [Fact]
    public async Task AWorkerImportWithAnUnknownGridIsRejectedNamingLineColumnAndValue()
    {
        using var factory = new SiloFactory();
        using var admin = await factory.CreateAdminClientAsync();
        var demo = DemoCity.Create();
        (await admin.PostAsync("/api/regions/import", GeoJson(demo.ToGeoJson()), Ct)).EnsureSuccessStatusCode();
        var grid = demo.City.Tree.Grids[0].Code;

        var csv = "worker_id,name,role,region_code,assigned_grids,active\r\n" +
                  $"w1,\"Zhang, San\",grid_worker,310101,{grid},true\r\n" +
                  "w2,Li Si,grid_worker,310101,31010100100199,true\r\n";
        var response = await admin.PostAsync("/api/workers/import", Csv(csv), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("assigned_grids", error.GetProperty("column").GetString());
        Assert.Equal("31010100100199", error.GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/workers/w1", Ct)).StatusCode);

        var ok = await admin.PostAsync("/api/workers/import", Csv(csv.Replace("31010100100199", grid, StringComparison.Ordinal)), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Zhang, San", (await admin.GetFromJsonAsync<JsonElement>("/api/workers/w1", Ct)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await admin.PostAsync("/api/workers/import", new StringContent(csv, Encoding.UTF8, "application/json"), Ct)).StatusCode);
    }

    [Fact]
    public async Task ARestartOnTheSameDataDirectoryKeepsTheCityWorkersAndSensors()
    {
        using var dir = new TempDirectory();
        var demo = DemoCity.Create();
        var grid = demo.City.Tree.Grids[5];
        var p = grid.Geometry.InteriorPoint;
        await using (var first = new SiloFactory(dataDirectory: dir.Path))
        {
            using var admin = await first.CreateAdminClientAsync();
            (await admin.PostAsync("/api/regions/import", GeoJson(demo.ToGeoJson()), Ct)).EnsureSuccessStatusCode();
            (await admin.PostAsync("/api/workers/import", Csv(demo.WorkersCsv), Ct)).EnsureSuccessStatusCode();
            (await admin.PostAsync("/api/sensors/import", Csv(demo.SensorsCsv), Ct)).EnsureSuccessStatusCode();
        }
        SqliteConnection.ClearAllPools();

        await using var second = new SiloFactory(dataDirectory: dir.Path);
        using var again = await second.CreateAdminClientAsync();
        var located = await again.GetFromJsonAsync<JsonElement>(FormattableString.Invariant($"/api/regions/locate?lat={p.Y}&lon={p.X}"), Ct);
        Assert.Equal(grid.Code, located.GetProperty("grid").GetString());
        var workers = await again.GetFromJsonAsync<JsonElement>("/api/workers", Ct);
        Assert.Equal(demo.WorkerCount, workers.GetProperty("total").GetInt32());
        var sensors = await again.GetFromJsonAsync<JsonElement>("/api/sensors", Ct);
        Assert.Equal(demo.SensorCount, sensors.GetProperty("total").GetInt32());
    }
}
