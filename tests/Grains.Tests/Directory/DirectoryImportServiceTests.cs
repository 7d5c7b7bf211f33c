using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Tests.Geo;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GridGov.Realtime.Grains.Tests.Directory.DirectoryFixtures;

namespace GridGov.Realtime.Grains.Tests.Directory;

public sealed class DirectoryImportServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Parts(DirectoryImportService Imports, RegionDirectory Regions, WorkerDirectory Workers);

    private static Parts Create(IRegionStore? regionStore = null, IDirectoryStore? store = null)
    {
        var regions = new RegionDirectory();
        var workers = new WorkerDirectory();
        return new(new DirectoryImportService(regions, workers, regionStore ?? new InMemoryRegionStore(), store ?? new InMemoryDirectoryStore(), TimeProvider.System), regions, workers);
    }

    [Fact]
    public async Task ARegionImportInstallsTheTreeAndCountsEachLevel()
    {
        var p = Create();
        var outcome = await p.Imports.ImportRegionsAsync(Utf8(GeoJsonFixtures.Valid()), cancellationToken: Ct);
        Assert.True(outcome.Succeeded);
        Assert.Equal(1, outcome.Version);
        Assert.Equal(2, outcome.CountsByLevel["grid"]);
        Assert.Equal(1, outcome.CountsByLevel["city"]);
        Assert.Equal(Grid1, p.Regions.LocateGrid(31.235, 121.472));
    }

    [Fact]
    public async Task ARejectedRegionImportLeavesTheInstalledTreeAndTheStoreAlone()
    {
        var store = new InMemoryRegionStore();
        var p = Create(store);
        await p.Imports.ImportRegionsAsync(Utf8(GeoJsonFixtures.Valid()), cancellationToken: Ct);
        var tree = p.Regions.Tree;

        var bad = GeoJsonFixtures.With(5, GeoJsonFixtures.Feature("31010400100102", GeoJsonFixtures.Rect(GeoJsonFixtures.Mid, GeoJsonFixtures.S, GeoJsonFixtures.E, GeoJsonFixtures.N), name: ""));
        var outcome = await p.Imports.ImportRegionsAsync(Utf8(bad), cancellationToken: Ct);

        Assert.False(outcome.Succeeded);
        var error = Assert.Single(outcome.Errors, e => e.Field == "properties.name");
        Assert.Equal((5, "31010400100102"), (error.FeatureIndex, error.Code));
        Assert.Same(tree, p.Regions.Tree);
        Assert.Equal(1, p.Regions.Version);
        Assert.Same(tree, await store.LoadAsync(GridCodeScheme.CjT213, Ct));
    }

    [Fact]
    public async Task ARegionImportThatWouldOrphanWorkersIsRefusedUntilTheWorkersAreReimported()
    {
        var p = Create();
        var demo = DemoCity.Create();
        await demo.InstallAsync(p.Imports, Ct);
        var other = SyntheticCity.Generate(SyntheticCityOptions.Demo with { CityCode = "320100" }).ToGeoJson();

        var refused = await p.Imports.ImportRegionsAsync(Utf8(other), cancellationToken: Ct);
        Assert.False(refused.Succeeded);
        Assert.Contains("re-import the workers first", refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(demo.City.Tree.Count, p.Regions.Tree!.Count);

        Assert.True((await p.Imports.ImportWorkersAsync(Utf8(WorkersHeader), Ct)).Succeeded);
        Assert.True((await p.Imports.ImportSensorsAsync(Utf8(SensorsHeader), Ct)).Succeeded);
        Assert.True((await p.Imports.ImportRegionsAsync(Utf8(other), cancellationToken: Ct)).Succeeded);
    }

    [Fact]
    public async Task ARejectedWorkerImportKeepsThePreviousWorkers()
    {
        var p = Create();
        await p.Imports.ImportRegionsAsync(Utf8(GeoJsonFixtures.Valid()), cancellationToken: Ct);
        Assert.True((await p.Imports.ImportWorkersAsync(Utf8(WorkersHeader + $"w1,n,grid_worker,{Community},{Grid1},true\n"), Ct)).Succeeded);

        var outcome = await p.Imports.ImportWorkersAsync(Utf8(WorkersHeader + $"w2,n,grid_worker,{Community},31010400100199,true\n"), Ct);

        Assert.False(outcome.Succeeded);
        Assert.NotNull(p.Workers.FindWorker("w1"));
        Assert.Null(p.Workers.FindWorker("w2"));
    }

    [Fact]
    public async Task TheDemoCityInstallsInOneCallWithAFewHundredWorkers()
    {
        var p = Create();
        var demo = DemoCity.Create();
        await demo.InstallAsync(p.Imports, Ct);

        Assert.Equal(324, p.Regions.Tree!.Grids.Count);
        Assert.InRange(p.Workers.Workers.Count, 200, 600);
        Assert.Equal(demo.WorkerCount, p.Workers.Workers.Count);
        Assert.Equal(demo.SensorCount, p.Workers.Sensors.Count);
        var gridWorkers = p.Workers.Workers.Where(w => w.Role == WorkerRoles.GridWorker).ToList();
        Assert.All(gridWorkers, w => Assert.InRange(w.AssignedGrids.Count, 1, 3));
        Assert.All(p.Regions.Tree.Grids, g => Assert.Contains(gridWorkers, w => w.AssignedGrids.Contains(g.Code)));
        Assert.All(p.Workers.Sensors, s => Assert.Equal(s.GridCode, p.Regions.LocateGrid(s.Lat!.Value, s.Lon!.Value)));
        Assert.Equal(demo.WorkersCsv, DemoCity.Create().WorkersCsv);
    }

    [Fact]
    public async Task TheSqliteStoresKeepTheTreeWorkersAndSensorsAcrossARestart()
    {
        using var dir = new TempDirectory();
        var demo = DemoCity.Create();
        var options = Options.Create(new SqliteStorageOptions { DataDirectory = dir.Path });
        SqliteMigration[] migrations = [SqliteRegionStore.Migration, SqliteDirectoryStore.Migration];

        await using (var db = new SqliteDatabase(options, migrations, NullLogger<SqliteDatabase>.Instance))
        {
            await db.InitializeAsync(Ct);
            await demo.InstallAsync(Create(new SqliteRegionStore(db), new SqliteDirectoryStore(db)).Imports, Ct);
        }

        await using (var db = new SqliteDatabase(options, migrations, NullLogger<SqliteDatabase>.Instance))
        {
            var p = Create(new SqliteRegionStore(db), new SqliteDirectoryStore(db));
            await p.Imports.LoadAsync(Ct);

            var tree = p.Regions.Tree!;
            Assert.Equal(demo.City.Tree.Count, tree.Count);
            Assert.Equal(GeoJsonRegionExporter.ToGeoJson(demo.City.Tree), GeoJsonRegionExporter.ToGeoJson(tree));
            var grid = demo.City.Tree.Grids[17];
            Assert.Equal(grid.AreaClass, tree.Find(grid.Code)!.AreaClass);
            Assert.Equal(demo.WorkerCount, p.Workers.Workers.Count);
            var w = p.Workers.Workers[0];
            Assert.Equal(w.AssignedGrids, p.Workers.FindWorker(w.WorkerId)!.AssignedGrids);
            Assert.Equal(demo.SensorCount, p.Workers.Sensors.Count);
        }
    }
}
