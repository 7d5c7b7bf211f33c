using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Silo.Demo;
using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Silo.Tests.Demo;

public sealed class WalkingTerminalTests
{
    private static readonly RegionTree City = SyntheticCity.Generate(SyntheticCityOptions.Demo).Tree;

    [Fact]
    public void AWorkerWalksBetweenPointsOfTheAssignedGridsAtWalkingPace()
    {
        // Straight walks between targets may cross other grids (as real patrols do on the way), but
        // never leave the convex hull of the assigned grids.
        var grids = City.Grids.Take(2).Select(g => g.Geometry).ToList();
        var union = grids[0].Union(grids[1]).ConvexHull().Buffer(1e-6);
        var walker = new WalkingTerminal("w-1", grids, new Random(7));
        for (var i = 0; i < 2_000; i++)
        {
            var (lat, lon) = (walker.Lat, walker.Lon);
            walker.Step(TimeSpan.FromSeconds(2));
            Assert.True(union.Covers(union.Factory.CreatePoint(new Coordinate(walker.Lon, walker.Lat))), $"step {i} left the hull of the assigned grids");
            var metres = Haversine(lat, lon, walker.Lat, walker.Lon);
            Assert.InRange(metres, 0, 2 * 1.6 + 0.01);
            Assert.InRange(walker.Heading, 0, 360);
        }
    }

    [Fact]
    public void TheBatteryDrainsSlowlyAndNeverBelowFivePercent()
    {
        var walker = new WalkingTerminal("w-1", [City.Grids[0].Geometry], new Random(1));
        var start = walker.Battery;
        walker.Step(TimeSpan.FromHours(1));
        Assert.InRange(start - walker.Battery, 4, 6);
        walker.Step(TimeSpan.FromDays(3));
        Assert.Equal(5, walker.Battery);
    }

    [Fact]
    public void TheSameSeedWalksTheSamePath()
    {
        var grids = City.Grids.Take(3).Select(g => g.Geometry).ToList();
        var a = new WalkingTerminal("w", grids, new Random(42));
        var b = new WalkingTerminal("w", grids, new Random(42));
        for (var i = 0; i < 100; i++)
        {
            a.Step(TimeSpan.FromSeconds(3));
            b.Step(TimeSpan.FromSeconds(3));
        }
        Assert.Equal((a.Lat, a.Lon), (b.Lat, b.Lon));
    }

    private static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double r = 6_371_008.8;
        var dLat = (lat2 - lat1) * Math.PI / 180;
        var dLon = (lon2 - lon1) * Math.PI / 180;
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(lat1 * Math.PI / 180) * Math.Cos(lat2 * Math.PI / 180) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * r * Math.Asin(Math.Sqrt(h));
    }
}
