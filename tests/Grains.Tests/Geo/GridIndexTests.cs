using GridGov.Realtime.Grains.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridGov.Realtime.Grains.Tests.Geo;

public sealed class GridIndexTests
{
    // 2 × 2 unit squares (x = lon, y = lat):  C D
    //                                         A B
    private const string A = "31010400100101", B = "31010400100102", C = "31010400100103", D = "31010400100104";

    private static Geometry Wkt(string wkt) => new WKTReader().Read(wkt);

    private static Geometry Square(double x, double y, double size = 1) =>
        Wkt(FormattableString.Invariant($"POLYGON(({x} {y}, {x + size} {y}, {x + size} {y + size}, {x} {y + size}, {x} {y}))"));

    private static GridIndex FourSquares(bool reversed = false)
    {
        var grids = new[]
        {
            KeyValuePair.Create(A, Square(0, 0)), KeyValuePair.Create(B, Square(1, 0)),
            KeyValuePair.Create(C, Square(0, 1)), KeyValuePair.Create(D, Square(1, 1)),
        };
        return new GridIndex(reversed ? grids.Reverse() : grids);
    }

    [Theory]
    [InlineData(0.5, 0.5, A)]
    [InlineData(0.5, 1.5, B)]
    [InlineData(1.5, 0.5, C)]
    [InlineData(1.5, 1.5, D)]
    [InlineData(-0.1, 0.5, null)]
    [InlineData(0.5, 2.0001, null)]
    public void Interior_and_outside_points(double lat, double lon, string? expected)
    {
        Assert.Equal(expected, FourSquares().Locate(lat, lon));
    }

    [Theory]
    [InlineData(0.5, 1.0, A)]   // edge A|B
    [InlineData(1.0, 0.5, A)]   // edge A|C
    [InlineData(1.0, 1.5, B)]   // edge B|D
    [InlineData(1.5, 1.0, C)]   // edge C|D
    [InlineData(1.0, 1.0, A)]   // vertex shared by all four
    [InlineData(0.0, 1.0, A)]   // vertex on the outer boundary shared by A and B
    [InlineData(2.0, 2.0, D)]   // outer corner, only D
    [InlineData(0.5, 0.0, A)]   // outer edge, only A
    public void Shared_edges_and_vertices_go_to_the_smallest_covering_code(double lat, double lon, string expected)
    {
        Assert.Equal(expected, FourSquares().Locate(lat, lon));
        Assert.Equal(expected, FourSquares(reversed: true).Locate(lat, lon));
    }

    [Fact]
    public void Point_in_a_hole_is_not_in_the_holed_grid()
    {
        const string holed = "31010400100101", island = "31010400100102";
        var ring = Wkt("POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 3, 3 3, 3 1, 1 1))");
        var withoutIsland = new GridIndex([KeyValuePair.Create(holed, ring)]);
        Assert.Null(withoutIsland.Locate(2, 2));
        Assert.Equal(holed, withoutIsland.Locate(0.5, 0.5));
        Assert.Equal(holed, withoutIsland.Locate(2, 1));     // on the hole's edge: boundary of the holed grid

        var withIsland = new GridIndex([KeyValuePair.Create(holed, ring), KeyValuePair.Create(island, Square(1, 1, 2))]);
        Assert.Equal(island, withIsland.Locate(2, 2));
        Assert.Equal(holed, withIsland.Locate(2, 1));        // shared edge → smaller code
        Assert.Equal(island, withIsland.Locate(2, 2, holed)); // the hint does not claim a point in its hole
    }

    [Fact]
    public void MultiPolygon_grid_owns_both_parts_and_not_the_gap()
    {
        var index = new GridIndex([KeyValuePair.Create(A, Wkt("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((3 0, 4 0, 4 1, 3 1, 3 0)))"))]);
        Assert.Equal(A, index.Locate(0.5, 0.5));
        Assert.Equal(A, index.Locate(0.5, 3.5));
        Assert.Null(index.Locate(0.5, 2));
    }

    [Fact]
    public void Hint_returns_the_same_answer_as_a_full_lookup()
    {
        var index = FourSquares();
        Assert.Equal(A, index.Locate(0.5, 0.5, A));
        Assert.Equal(B, index.Locate(0.5, 1.5, A));          // moved on: hint misses
        Assert.Equal(A, index.Locate(0.5, 1.0, B));          // on the A|B edge: the rule, not the hint
        Assert.Equal(D, index.Locate(1.5, 1.5, "99999999999999"));
        Assert.Null(index.Locate(5, 5, A));
        Assert.Same(index.Locate(0.5, 0.5), index.Locate(0.5, 0.5, new string(A.ToCharArray())));
    }

    [Fact]
    public void Hint_takes_the_fast_path_when_inside_the_last_grid()
    {
        // Overlapping grids are rejected by the importer, but they make the fast path observable:
        // without a hint the smaller code wins; with the other grid as hint, the hint is kept.
        var index = new GridIndex([KeyValuePair.Create(A, Square(0, 0, 2)), KeyValuePair.Create(B, Square(1, 1, 2))]);
        Assert.Equal(A, index.Locate(1.5, 1.5));
        Assert.Equal(B, index.Locate(1.5, 1.5, B));
    }

    [Fact]
    public void Non_finite_coordinates_locate_nowhere()
    {
        var index = FourSquares();
        Assert.Null(index.Locate(double.NaN, 0.5));
        Assert.Null(index.Locate(0.5, double.PositiveInfinity, A));
        Assert.Null(new GridIndex([]).Locate(0.5, 0.5));
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new GridIndex([KeyValuePair.Create(A, Square(0, 0)), KeyValuePair.Create(A, Square(1, 0))]));
        Assert.Throws<ArgumentException>(() => new GridIndex([KeyValuePair.Create(A, Wkt("LINESTRING(0 0, 1 1)"))]));
    }

    [Fact]
    public void Matches_brute_force_on_a_synthetic_city()
    {
        var city = SyntheticCity.Generate();
        var index = GridIndex.Build(city.Tree);
        Assert.Equal(324, index.Count);
        var rnd = new Random(7);
        var env = city.Tree.Roots[0].Geometry.EnvelopeInternal;
        for (var k = 0; k < 2000; k++)
        {
            var lon = env.MinX + rnd.NextDouble() * env.Width;
            var lat = env.MinY + rnd.NextDouble() * env.Height;
            var p = new Point(lon, lat);
            var expected = city.Tree.Grids.Where(g => g.Geometry.Covers(p)).Select(g => g.Code).Order(StringComparer.Ordinal).FirstOrDefault();
            Assert.Equal(expected, index.Locate(lat, lon));
        }
    }

    [Fact]
    public void Shared_vertices_of_a_synthetic_city_are_deterministic()
    {
        var city = SyntheticCity.Generate();
        var index = GridIndex.Build(city.Tree);
        // Every grid vertex is shared by up to four grids; the owner is the smallest covering code.
        foreach (var grid in city.Tree.Grids.Take(50))
        {
            foreach (var c in grid.Geometry.Coordinates)
            {
                var p = new Point(c);
                var expected = city.Tree.Grids.Where(g => g.Geometry.Covers(p)).Select(g => g.Code).Order(StringComparer.Ordinal).First();
                Assert.Equal(expected, index.Locate(c.Y, c.X));
                Assert.Equal(expected, index.Locate(c.Y, c.X, grid.Code));
            }
        }
    }

    [Fact]
    public async Task Concurrent_readers_on_a_fresh_index_agree_with_a_single_thread()
    {
        var city = SyntheticCity.Generate(SyntheticCityOptions.Demo with { Districts = 4, GridsPerCommunity = 16 });
        var rnd = new Random(11);
        var b = city.Bounds;
        var points = Enumerable.Range(0, 20_000)
            .Select(_ => (Lat: b.MinY + rnd.NextDouble() * b.Height, Lon: b.MinX + rnd.NextDouble() * b.Width)).ToArray();
        var expected = new string?[points.Length];
        var reference = GridIndex.Build(city.Tree);
        for (var i = 0; i < points.Length; i++) expected[i] = reference.Locate(points[i].Lat, points[i].Lon);
        Assert.All(expected, Assert.NotNull);

        // A fresh index whose first queries all race each other.
        var fresh = GridIndex.Build(city.Tree);
        using var start = new ManualResetEventSlim();
        var mismatches = 0;
        var workers = Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(() =>
        {
            start.Wait();
            string? last = null;
            for (var round = 0; round < 3; round++)
            {
                for (var i = t; i < points.Length; i++)
                {
                    var got = (i & 1) == 0 ? fresh.Locate(points[i].Lat, points[i].Lon) : fresh.Locate(points[i].Lat, points[i].Lon, last);
                    if (got != expected[i]) Interlocked.Increment(ref mismatches);
                    last = got;
                }
            }
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        start.Set();
        await Task.WhenAll(workers);
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public async Task Concurrent_readers_on_many_vertex_grids_use_the_prebuilt_nts_locators_safely()
    {
        // 400-vertex circles take the NTS IndexedPointInAreaLocator path, whose index NTS builds lazily.
        var factory = new NetTopologySuite.Utilities.GeometricShapeFactory { NumPoints = 400, Size = 0.9 };
        var grids = Enumerable.Range(0, 16).Select(i =>
        {
            factory.Centre = new Coordinate(i % 4 + 0.5, i / 4 + 0.5);
            return KeyValuePair.Create(FormattableString.Invariant($"310104001001{i + 1:00}"), (Geometry)factory.CreateCircle());
        }).ToArray();
        var rnd = new Random(3);
        var points = Enumerable.Range(0, 50_000).Select(_ => (Lat: rnd.NextDouble() * 4, Lon: rnd.NextDouble() * 4)).ToArray();
        var reference = new GridIndex(grids);
        var expected = points.Select(p => reference.Locate(p.Lat, p.Lon)).ToArray();
        Assert.Contains(expected, e => e is null);
        Assert.Contains(expected, e => e is not null);

        var fresh = new GridIndex(grids);
        using var start = new ManualResetEventSlim();
        var mismatches = 0;
        var workers = Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(() =>
        {
            start.Wait();
            for (var i = t; i < points.Length; i++)
                if (fresh.Locate(points[i].Lat, points[i].Lon) != expected[i]) Interlocked.Increment(ref mismatches);
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        start.Set();
        await Task.WhenAll(workers);
        Assert.Equal(0, mismatches);
    }
}
