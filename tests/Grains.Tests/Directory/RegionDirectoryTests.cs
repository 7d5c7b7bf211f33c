using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using static GridGov.Realtime.Grains.Tests.Directory.DirectoryFixtures;

namespace GridGov.Realtime.Grains.Tests.Directory;

public sealed class RegionDirectoryTests
{
    [Fact]
    public void IsEmptyBeforeAnyImport()
    {
        var directory = new RegionDirectory();
        Assert.Null(directory.Tree);
        Assert.Equal(0, directory.Version);
        Assert.Null(directory.Find(City));
        Assert.Null(directory.LocateGrid(31.235, 121.472));
        Assert.Empty(directory.ScopesOf(Grid1));
    }

    [Fact]
    public void ScopesOfAGridRunFromTheGridUpToTheCity()
    {
        var directory = new RegionDirectory();
        directory.Install(SmallTree());
        Assert.Equal([Grid1, Community, Street, District, City], directory.ScopesOf(Grid1));
        Assert.Equal([District, City], directory.ScopesOf(District));
        Assert.Equal([City], directory.ScopesOf(City));
        Assert.Empty(directory.ScopesOf("31010400100199"));
    }

    [Fact]
    public void ScopesOfReturnsTheCachedListWithoutAllocating()
    {
        var directory = new RegionDirectory();
        directory.Install(SmallTree());
        Assert.Same(directory.ScopesOf(Grid2), directory.ScopesOf(Grid2));
        _ = directory.ScopesOf(Grid1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) _ = directory.ScopesOf(Grid1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LocateGridFindsTheGridThroughTheInstalledIndex()
    {
        var directory = new RegionDirectory();
        directory.Install(SmallTree());
        Assert.Equal(Grid1, directory.LocateGrid(31.235, 121.472));
        Assert.Equal(Grid2, directory.LocateGrid(31.235, 121.478, lastGrid: Grid1));
        Assert.Null(directory.LocateGrid(31.3, 121.472));
    }

    [Fact]
    public void InstallSwapsTheWholeSnapshotAndBumpsTheVersion()
    {
        var directory = new RegionDirectory();
        directory.Install(SmallTree());
        var first = directory.Tree;
        var city = SyntheticCity.Generate(SyntheticCityOptions.Demo with { CityCode = "320100", CentreLat = 32.06, CentreLon = 118.8 });
        directory.Install(city.Tree);

        Assert.Equal(2, directory.Version);
        Assert.NotSame(first, directory.Tree);
        Assert.Null(directory.Find(Grid1));
        Assert.Empty(directory.ScopesOf(Grid1));
        Assert.Null(directory.LocateGrid(31.235, 121.472));
        var grid = city.Tree.Grids[0];
        var p = grid.Geometry.InteriorPoint;
        Assert.Equal(grid.Code, directory.LocateGrid(p.Y, p.X));
        Assert.Equal(5, directory.ScopesOf(grid.Code).Count);
        Assert.Equal("320100", directory.ScopesOf(grid.Code)[^1]);
    }

    [Fact]
    public async Task ReadersDuringInstallsSeeOneTreeOrTheOther()
    {
        var directory = new RegionDirectory();
        var small = SmallTree();
        var demo = SyntheticCity.Generate().Tree;
        directory.Install(small);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var inconsistencies = 0;
            while (!stop.IsCancellationRequested)
            {
                // A grid of the tree just read must have its scopes in the same snapshot... unless a swap
                // happened between the two calls, which the version tells.
                var v = directory.Version;
                var tree = directory.Tree!;
                var code = tree.Grids[0].Code;
                var scopes = directory.ScopesOf(code);
                if (directory.Version == v && scopes.Count != 5) inconsistencies++;
            }
            return inconsistencies;
        }, TestContext.Current.CancellationToken);
        for (var i = 0; i < 50; i++) directory.Install(i % 2 == 0 ? demo : small);
        stop.Cancel();
        Assert.Equal(0, await reader);
        Assert.Equal(51, directory.Version);
    }

    [Fact]
    public void ATreeOfAnotherCodeSchemeIsRefused()
    {
        var directory = new RegionDirectory(GridCodeScheme.BeijingDb11);
        var ex = Assert.Throws<ArgumentException>(() => directory.Install(SmallTree()));
        Assert.Contains("CJ/T 213", ex.Message, StringComparison.Ordinal);
    }
}
