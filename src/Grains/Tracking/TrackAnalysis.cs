using System.Buffers;
using System.Text.Json;
using GridGov.Realtime.Grains.Geo;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>Patrol figures for assessment: how far, how long, and how much of the assigned grids a worker covered.</summary>
/// <param name="DistanceMetres">Haversine length of the filtered track.</param>
/// <param name="ActiveSeconds">
/// Time covered by reporting: the sum of gaps between consecutive filtered fixes that are no longer than
/// the offline threshold (a longer gap means the terminal was off or offline and does not count).
/// </param>
/// <param name="CoverageShare">Visited cells / all cells over the assigned grids (0 when there are none).</param>
public sealed record PatrolSummary(
    string WorkerId,
    DateTimeOffset From,
    DateTimeOffset To,
    int Fixes,
    double DistanceMetres,
    double ActiveSeconds,
    int CellsTotal,
    int CellsVisited,
    double CoverageShare,
    IReadOnlyList<GridCoverage> Grids);

public sealed record GridCoverage(string GridCode, int Cells, int Visited, double Share);

public static class TrackAnalysis
{
    /// <summary>Sorts stored rows by time and runs them through the same filter as the live stream.</summary>
    public static List<PositionFix> Filter(IEnumerable<StoredFix> rows, TrackingOptions options)
    {
        var filter = new FixFilter(options.MaxSpeedMetresPerSecond, options.ImplausibleResetCount);
        var result = new List<PositionFix>();
        foreach (var row in rows.OrderBy(r => r.Fix.Ts))
        {
            if (filter.Check(row.Fix) == FixVerdict.Accepted) result.Add(row.Fix);
        }
        return result;
    }

    /// <summary>
    /// The track as a GeoJSON Feature (RFC 7946). Geometry: a LineString of [lon, lat] for two or more
    /// fixes, a Point for one, null for none. RFC 7946 has no time dimension, so the fix times are in
    /// <c>properties.times</c>: ISO 8601 UTC strings, one per coordinate, same order.
    /// </summary>
    public static void WriteTrackGeoJson(IBufferWriter<byte> output, string workerId, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<PositionFix> fixes)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WritePropertyName("geometry");
        if (fixes.Count == 0) w.WriteNullValue();
        else
        {
            w.WriteStartObject();
            if (fixes.Count == 1)
            {
                w.WriteString("type", "Point");
                w.WritePropertyName("coordinates");
                WritePosition(w, fixes[0]);
            }
            else
            {
                w.WriteString("type", "LineString");
                w.WriteStartArray("coordinates");
                foreach (var f in fixes) WritePosition(w, f);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteStartObject("properties");
        w.WriteString("workerId", workerId);
        w.WriteString("from", from.ToUniversalTime());
        w.WriteString("to", to.ToUniversalTime());
        w.WriteNumber("count", fixes.Count);
        w.WriteStartArray("times");
        foreach (var f in fixes) w.WriteStringValue(f.Time);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePosition(Utf8JsonWriter w, in PositionFix f)
    {
        w.WriteStartArray();
        w.WriteNumberValue(Math.Round(f.Lon, 7));
        w.WriteNumberValue(Math.Round(f.Lat, 7));
        w.WriteEndArray();
    }

    /// <summary>Patrol summary over filtered fixes and the worker's assigned grids (missing grids are skipped).</summary>
    public static PatrolSummary Summarize(string workerId, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<PositionFix> fixes,
        IEnumerable<RegionNode> assignedGrids, TrackingOptions options)
    {
        double distance = 0, active = 0;
        var maxGapMs = options.OfflineAfter.TotalMilliseconds;
        for (var i = 1; i < fixes.Count; i++)
        {
            distance += Haversine.Metres(fixes[i - 1].Lat, fixes[i - 1].Lon, fixes[i].Lat, fixes[i].Lon);
            var gap = fixes[i].Ts - fixes[i - 1].Ts;
            if (gap <= maxGapMs) active += gap / 1000.0;
        }

        var grids = new List<GridCoverage>();
        int total = 0, visited = 0;
        foreach (var grid in assignedGrids)
        {
            var coverage = Cover(grid, fixes, options.PatrolCellMetres);
            grids.Add(coverage);
            total += coverage.Cells;
            visited += coverage.Visited;
        }
        return new PatrolSummary(workerId, from, to, fixes.Count, distance, active, total, visited, total == 0 ? 0 : (double)visited / total, grids);
    }

    /// <summary>
    /// Lays square cells of <paramref name="cellMetres"/> over the grid's envelope (local equirectangular
    /// metres), keeps the cells whose centre is in the grid, and marks those holding a fix inside the grid.
    /// </summary>
    private static GridCoverage Cover(RegionNode grid, IReadOnlyList<PositionFix> fixes, double cellMetres)
    {
        var env = grid.Geometry.EnvelopeInternal;
        var (mLon, mLat) = GeoArea.MetresPerDegree(env.Centre.Y);
        var dLon = cellMetres / mLon;
        var dLat = cellMetres / mLat;
        var cols = Math.Max(1, (int)Math.Ceiling(env.Width / dLon - 1e-9));
        var rows = Math.Max(1, (int)Math.Ceiling(env.Height / dLat - 1e-9));
        var locator = new IndexedPointInAreaLocator(grid.Geometry);
        var inGrid = new bool[cols * rows];
        var cells = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var centre = new Coordinate(env.MinX + (c + 0.5) * dLon, env.MinY + (r + 0.5) * dLat);
                if (locator.Locate(centre) != Location.Exterior)
                {
                    inGrid[r * cols + c] = true;
                    cells++;
                }
            }
        }
        var hit = new bool[cols * rows];
        var visited = 0;
        foreach (var f in fixes)
        {
            if (!env.Covers(f.Lon, f.Lat) || locator.Locate(new Coordinate(f.Lon, f.Lat)) == Location.Exterior) continue;
            var c = Math.Min(cols - 1, (int)((f.Lon - env.MinX) / dLon));
            var r = Math.Min(rows - 1, (int)((f.Lat - env.MinY) / dLat));
            var i = r * cols + c;
            if (inGrid[i] && !hit[i])
            {
                hit[i] = true;
                visited++;
            }
        }
        return new GridCoverage(grid.Code, cells, visited, cells == 0 ? 0 : (double)visited / cells);
    }
}
