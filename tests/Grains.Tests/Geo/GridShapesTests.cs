using GridGov.Realtime.Grains.Geo;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using GeometricShapeFactory = NetTopologySuite.Utilities.GeometricShapeFactory;

namespace GridGov.Realtime.Grains.Tests.Geo;

/// <summary>The packed-ring containment test must say exactly what NTS says, boundary included.</summary>
public sealed class GridShapesTests
{
    private static IEnumerable<Coordinate> Probes(Geometry g, Random rnd, int randomCount)
    {
        var env = g.EnvelopeInternal;
        foreach (var c in g.Coordinates) yield return c;                                   // vertices: Boundary
        var pts = g.Coordinates;
        for (var i = 1; i < pts.Length; i++)
        {
            yield return new Coordinate((pts[i - 1].X + pts[i].X) / 2, (pts[i - 1].Y + pts[i].Y) / 2);     // near/on edges
            yield return new Coordinate(pts[i].X, (pts[i - 1].Y + pts[i].Y) / 2);          // same x or y as a vertex
            yield return new Coordinate((pts[i - 1].X + pts[i].X) / 2, pts[i].Y);
        }
        for (var i = 0; i < randomCount; i++)
            yield return new Coordinate(env.MinX - 0.1 * env.Width + rnd.NextDouble() * 1.2 * env.Width,
                                        env.MinY - 0.1 * env.Height + rnd.NextDouble() * 1.2 * env.Height);
    }

    [Fact]
    public void Agrees_with_nts_on_synthetic_grids_including_vertices_and_edges()
    {
        var grids = SyntheticCity.Generate().Tree.Grids.Take(60).Select(g => g.Geometry).ToArray();
        var shapes = new GridShapes(grids);
        var rnd = new Random(5);
        for (var i = 0; i < grids.Length; i++)
        {
            var nts = new IndexedPointInAreaLocator(grids[i]);
            foreach (var p in Probes(grids[i], rnd, 200))
                Assert.Equal(nts.Locate(p), shapes.Locate(i, p.X, p.Y));
        }
    }

    [Fact]
    public void Agrees_with_nts_on_holes_multipolygons_and_many_vertex_grids()
    {
        var f = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory();
        var shapeFactory = new GeometricShapeFactory(f) { Centre = new Coordinate(121.47, 31.23), Size = 0.002 };
        shapeFactory.NumPoints = 20;
        var small = shapeFactory.CreateCircle();
        shapeFactory.NumPoints = 400;
        var big = shapeFactory.CreateCircle();                                            // > 64 vertices: NTS locator path
        var holed = (Polygon)new NetTopologySuite.IO.WKTReader().Read(
            "POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 3, 3 3, 3 1, 1 1))");
        var multi = new NetTopologySuite.IO.WKTReader().Read("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((3 0, 4 0, 4 1, 3 1, 3 0), (3.2 0.2, 3.8 0.2, 3.8 0.8, 3.2 0.2)))");
        Geometry[] grids = [small, big, holed, multi];
        Assert.True(big.NumPoints > GridShapes.LinearScanMaxVertices);
        var shapes = new GridShapes(grids);
        var rnd = new Random(9);
        for (var i = 0; i < grids.Length; i++)
        {
            var nts = new IndexedPointInAreaLocator(grids[i]);
            foreach (var p in Probes(grids[i], rnd, 2000))
                Assert.Equal(nts.Locate(p), shapes.Locate(i, p.X, p.Y));
        }
        Assert.Equal(Location.Exterior, shapes.Locate(2, 2, 2));      // in the hole
        Assert.Equal(Location.Boundary, shapes.Locate(2, 1, 2));      // on the hole's ring
    }

    [Fact]
    public void Lookups_do_not_allocate()
    {
        var city = SyntheticCity.Generate();
        var index = GridIndex.Build(city.Tree);
        var b = city.Bounds;
        var rnd = new Random(1);
        var pts = Enumerable.Range(0, 5000).Select(_ => (b.MinY + rnd.NextDouble() * b.Height, b.MinX + rnd.NextDouble() * b.Width)).ToArray();
        string? last = null;
        foreach (var (lat, lon) in pts) last = index.Locate(lat, lon, last);   // warm up (JIT, tiering)
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var (lat, lon) in pts)
        {
            last = index.Locate(lat, lon, last);
            index.Locate(lat, lon);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
