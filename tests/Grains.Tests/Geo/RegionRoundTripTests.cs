using GridGov.Realtime.Grains.Geo;
using static GridGov.Realtime.Grains.Tests.Geo.GeoJsonFixtures;

namespace GridGov.Realtime.Grains.Tests.Geo;

public sealed class RegionRoundTripTests
{
    private static readonly GeoJsonRegionImporter Importer = new(GridCodeScheme.CjT213);

    private static RegionTree Import(string json)
    {
        var result = Importer.Import(json);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Tree!;
    }

    private static void AssertSameTree(RegionTree expected, RegionTree actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var e in expected.All())
        {
            var a = actual.Find(e.Code);
            Assert.NotNull(a);
            Assert.Equal((e.Name, e.Level, e.ParentCode, e.AreaClass), (a.Name, a.Level, a.ParentCode, a.AreaClass));
            Assert.Equal(e.AreaM2, a.AreaM2, 1e-6);
            Assert.True(e.Geometry.EqualsTopologically(a.Geometry), $"{e.Code} geometry changed");
        }
    }

    [Fact]
    public void Export_then_import_gives_the_same_tree_and_the_same_text()
    {
        var tree = Import(Valid());
        var json = GeoJsonRegionExporter.ToGeoJson(tree);
        var again = Import(json);
        AssertSameTree(tree, again);
        Assert.Equal(json, GeoJsonRegionExporter.ToGeoJson(again));
        Assert.Contains("\"name\":\"徐汇区\"", json, StringComparison.Ordinal);
        Assert.Contains("\"areaClass\":\"一类\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Subtree_export_imports_on_its_own()
    {
        var tree = Import(Valid());
        var sub = Import(GeoJsonRegionExporter.ToGeoJson(tree, "310104001001"));
        Assert.Equal(3, sub.Count);
        var root = Assert.Single(sub.Roots);
        Assert.Equal("310104001001", root.Code);
        Assert.Equal("310104001", root.ParentCode);   // kept, though that street is not in the file
        Assert.Null(root.Parent);
        Assert.Throws<KeyNotFoundException>(() => GeoJsonRegionExporter.ToGeoJson(tree, "310104009"));
    }

    [Fact]
    public void Holes_multipolygons_and_clockwise_input_round_trip_with_rfc7946_winding()
    {
        // Clockwise exterior with a counter-clockwise hole, and a two-part grid.
        var holed = "{\"type\":\"Polygon\",\"coordinates\":[[[121.47,31.23],[121.47,31.24],[121.475,31.24],[121.475,31.23],[121.47,31.23]]," +
                    "[[121.471,31.231],[121.474,31.231],[121.474,31.239],[121.471,31.239],[121.471,31.231]]]}";
        var multi = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[121.475,31.23],[121.48,31.23],[121.48,31.235],[121.475,31.235],[121.475,31.23]]]," +
                    "[[[121.475,31.236],[121.48,31.236],[121.48,31.24],[121.475,31.24],[121.475,31.236]]]]}";
        var tree = Import(With(5, Feature("31010400100102", multi)).Replace(Rect(W, S, Mid, N), holed, StringComparison.Ordinal));
        var grid1 = tree.Find("31010400100101")!;
        Assert.Equal(1, ((NetTopologySuite.Geometries.Polygon)grid1.Geometry).NumInteriorRings);
        Assert.Equal("MultiPolygon", tree.Find("31010400100102")!.Geometry.GeometryType);

        var json = GeoJsonRegionExporter.ToGeoJson(tree);
        var again = Import(json);
        AssertSameTree(tree, again);
        var shell = ((NetTopologySuite.Geometries.Polygon)again.Find("31010400100101")!.Geometry).Shell;
        var hole = ((NetTopologySuite.Geometries.Polygon)again.Find("31010400100101")!.Geometry).Holes[0];
        Assert.True(NetTopologySuite.Algorithm.Orientation.IsCCW(shell.CoordinateSequence));
        Assert.False(NetTopologySuite.Algorithm.Orientation.IsCCW(hole.CoordinateSequence));
    }
}
