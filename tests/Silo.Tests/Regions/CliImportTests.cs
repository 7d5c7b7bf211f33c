using System.Text;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Silo.Cli;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Silo.Tests.Regions;

public sealed class CliImportTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string DataDir => Path.Combine(_dir.Path, "data");

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private Task<int?> RunAsync(params string[] args) =>
        CliCommands.TryRunAsync([.. args, $"--Silo:DataDirectory={DataDir}"], _out, _err);

    [Fact]
    public async Task ImportingAGeneratedCityExitsZeroWithProgressAndASummary()
    {
        var city = SyntheticCity.Generate(SyntheticCityOptions.Demo with { TotalGrids = 1500, GridsPerCommunity = 0 });
        var file = Write("city.geojson", city.ToGeoJson());

        Assert.Equal(0, await RunAsync("import", "regions", file));

        var output = _out.ToString();
        Assert.Contains("features: 1,000/", output, StringComparison.Ordinal);
        Assert.Contains("1500 grid", output, StringComparison.Ordinal);
        Assert.Equal("", _err.ToString());
        Assert.True(File.Exists(Path.Combine(DataDir, "gridgov.db")));
    }

    [Fact]
    public async Task WorkerAndSensorImportsAreCheckedAgainstTheSavedTree()
    {
        var demo = DemoCity.Create();
        Assert.Equal(1, await RunAsync("import", "workers", Write("early.csv", demo.WorkersCsv)));
        Assert.Contains("import the regions first", _err.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, await RunAsync("import", "regions", Write("city.geojson", demo.ToGeoJson())));
        Assert.Equal(0, await RunAsync("import", "workers", Write("workers.csv", demo.WorkersCsv)));
        Assert.Equal(0, await RunAsync("import", "sensors", Write("sensors.csv", demo.SensorsCsv)));
        Assert.Contains($"Imported {demo.SensorCount} sensors", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenFileExitsOneListingTheErrors()
    {
        var json = SyntheticCity.Generate().ToGeoJson().Replace("\"code\":\"310101\"", "\"code\":\"31010x\"", StringComparison.Ordinal);

        Assert.Equal(1, await RunAsync("import", "regions", Write("broken.geojson", json)));

        var errors = _err.ToString();
        Assert.Contains("Import rejected", errors, StringComparison.Ordinal);
        Assert.Contains("feature #1 (31010x), properties.code", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileExitsOneAndBadUsageTwo()
    {
        Assert.Equal(1, await RunAsync("import", "regions", Path.Combine(_dir.Path, "nope.geojson")));
        Assert.Contains("file not found", _err.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await CliCommands.TryRunAsync(["import", "cities", "x"], _out, _err));
    }

    [Fact]
    public async Task ArgumentsThatAreNotACommandStartTheServer()
    {
        Assert.Null(await CliCommands.TryRunAsync([], _out, _err));
        Assert.Null(await CliCommands.TryRunAsync(["--Silo:HttpPort=5081"], _out, _err));
    }
}
