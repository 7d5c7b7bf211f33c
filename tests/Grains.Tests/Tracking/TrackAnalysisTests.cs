using System.Buffers;
using System.Text.Json;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Tracking;

namespace GridGov.Realtime.Grains.Tests.Tracking;

public sealed class TrackAnalysisTests
{
    private static readonly RegionNode Grid = TrackingFixture.Grids[0];
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    // Hand-computed: 0.0004° of latitude on a sphere of R = 6,371,008.8 m is R·π/180·0.0004 = 44.4780 m.
    private const double LegMetres = 44.47803;

    private static PositionFix At(double dLat, double eastMetres, TimeSpan after)
    {
        var c = Grid.Geometry.EnvelopeInternal.Centre;
        var (mLon, _) = GeoArea.MetresPerDegree(c.Y);
        return new PositionFix(c.Y + dLat, c.X + eastMetres / mLon, 3, 1, 0, 90, (T0 + after).ToUnixTimeMilliseconds());
    }

    private static readonly PositionFix[] Fixes =
    [
        At(+0.0002, -25, TimeSpan.Zero),              // north-west cell
        At(-0.0002, -25, TimeSpan.FromSeconds(30)),   // south-west cell
        At(+0.0002, -25, TimeSpan.FromSeconds(60)),   // back north-west
        At(+0.0002, -25, TimeSpan.FromMinutes(11)),   // after a 10-minute gap: no distance, no active time
    ];

    [Fact]
    public void PatrolSummaryMatchesTheHandComputedExample()
    {
        var summary = TrackAnalysis.Summarize("w1", T0, T0.AddHours(1), Fixes, [Grid], new TrackingOptions { PatrolCellMetres = 50 });
        Assert.Equal(2 * LegMetres, summary.DistanceMetres, 0.01);
        Assert.Equal(60, summary.ActiveSeconds, 3);
        Assert.Equal(4, summary.CellsTotal);         // a 100 m × 100 m grid in 50 m cells
        Assert.Equal(2, summary.CellsVisited);
        Assert.Equal(0.5, summary.CoverageShare, 6);
        Assert.Equal(Grid.Code, Assert.Single(summary.Grids).GridCode);
    }

    [Fact]
    public void FilterSortsByTimeAndDropsDuplicatesAndJumps()
    {
        var jump = Fixes[1] with { Lat = Fixes[1].Lat + 0.1, Ts = Fixes[1].Ts + 1 };
        var rows = new[] { Fixes[2], Fixes[0], Fixes[1], Fixes[1], jump }.Select(f => new StoredFix(f, null));
        Assert.Equal([Fixes[0], Fixes[1], Fixes[2]], TrackAnalysis.Filter(rows, new TrackingOptions()));
    }

    [Fact]
    public void TrackIsAGeoJsonLineStringWithParallelTimes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        TrackAnalysis.WriteTrackGeoJson(buffer, "w1", T0, T0.AddHours(1), Fixes[..3]);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var root = doc.RootElement;
        Assert.Equal("Feature", root.GetProperty("type").GetString());
        Assert.Equal("LineString", root.GetProperty("geometry").GetProperty("type").GetString());
        var coords = root.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(3, coords.GetArrayLength());
        Assert.Equal(Math.Round(Fixes[0].Lon, 7), coords[0][0].GetDouble());
        Assert.Equal(Math.Round(Fixes[0].Lat, 7), coords[0][1].GetDouble());
        var times = root.GetProperty("properties").GetProperty("times");
        Assert.Equal(3, times.GetArrayLength());
        Assert.Equal(T0.AddSeconds(30), times[1].GetDateTimeOffset());
    }

    [Fact]
    public void EmptyTrackHasNullGeometry()
    {
        var buffer = new ArrayBufferWriter<byte>();
        TrackAnalysis.WriteTrackGeoJson(buffer, "w1", T0, T0.AddHours(1), []);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("geometry").ValueKind);
    }
}
