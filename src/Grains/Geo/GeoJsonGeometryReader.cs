using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Reads an RFC 7946 Polygon or MultiPolygon (positions in lon, lat order) into NTS geometry,
/// reporting each structural problem with its JSON path. NetTopologySuite.IO.GeoJSON is not on the
/// package feed, so this is hand-written on System.Text.Json.
/// </summary>
internal static class GeoJsonGeometryReader
{
    /// <summary>WGS 84 lon/lat, full floating precision (SRID 4326 as RFC 7946 mandates).</summary>
    public static GeometryFactory Factory { get; } = new(new PrecisionModel(), 4326);

    /// <param name="report">Receives (field path, message) for each problem.</param>
    /// <returns>The geometry, or null when any problem was reported.</returns>
    public static Geometry? Read(JsonElement geometry, Action<string, string> report)
    {
        if (geometry.ValueKind != JsonValueKind.Object)
        {
            report("geometry", geometry.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                ? "Geometry is missing; a region needs a Polygon or MultiPolygon."
                : $"Geometry must be a JSON object, not {geometry.ValueKind}.");
            return null;
        }
        var type = geometry.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (!geometry.TryGetProperty("coordinates", out var coords) || coords.ValueKind != JsonValueKind.Array)
        {
            report("geometry.coordinates", type is "Polygon" or "MultiPolygon"
                ? "Coordinates are missing or not an array."
                : $"Geometry type must be Polygon or MultiPolygon, not '{type ?? "(none)"}'.");
            return null;
        }

        Geometry? result;
        switch (type)
        {
            case "Polygon":
                result = ReadPolygon(coords, "geometry.coordinates", report);
                break;
            case "MultiPolygon":
                if (coords.GetArrayLength() == 0)
                {
                    report("geometry.coordinates", "MultiPolygon has no polygons.");
                    return null;
                }
                var polygons = new Polygon?[coords.GetArrayLength()];
                var i = 0;
                foreach (var p in coords.EnumerateArray())
                {
                    polygons[i] = ReadPolygon(p, $"geometry.coordinates[{i}]", report);
                    i++;
                }
                result = Array.TrueForAll(polygons, static p => p is not null) ? Factory.CreateMultiPolygon(polygons!) : null;
                break;
            default:
                report("geometry.type", $"Geometry type must be Polygon or MultiPolygon, not '{type ?? "(none)"}'.");
                return null;
        }
        if (result is null) return null;

        // OGC validity: self-intersections, holes outside shells, overlapping MultiPolygon parts, ...
        var error = new IsValidOp(result).ValidationError;
        if (error is not null)
        {
            var c = error.Coordinate;
            report("geometry", c is null
                ? $"Invalid geometry: {error.Message}."
                : string.Create(CultureInfo.InvariantCulture, $"Invalid geometry: {error.Message} at lon {c.X}, lat {c.Y}."));
            return null;
        }
        return result;
    }

    private static Polygon? ReadPolygon(JsonElement rings, string path, Action<string, string> report)
    {
        if (rings.ValueKind != JsonValueKind.Array)
        {
            report(path, "A polygon must be an array of linear rings.");
            return null;
        }
        var count = rings.GetArrayLength();
        if (count == 0)
        {
            report(path, "Polygon has no rings; it needs an exterior ring.");
            return null;
        }
        var parsed = new LinearRing?[count];
        var i = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            var pts = ReadRing(ring, $"{path}[{i}]", report);
            parsed[i] = pts is null ? null : Factory.CreateLinearRing(pts);
            i++;
        }
        if (!Array.TrueForAll(parsed, static r => r is not null)) return null;
        return Factory.CreatePolygon(parsed[0], parsed[1..]!);
    }

    private static Coordinate[]? ReadRing(JsonElement ring, string path, Action<string, string> report)
    {
        if (ring.ValueKind != JsonValueKind.Array)
        {
            report(path, "A linear ring must be an array of positions.");
            return null;
        }
        var pts = new Coordinate[ring.GetArrayLength()];
        var i = 0;
        foreach (var pos in ring.EnumerateArray())
        {
            var p = $"{path}[{i}]";
            if (pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() < 2)
            {
                report(p, "A position must be an array [lon, lat] of numbers.");
                return null;
            }
            var lonEl = pos[0];
            var latEl = pos[1];
            if (lonEl.ValueKind != JsonValueKind.Number || latEl.ValueKind != JsonValueKind.Number
                || !lonEl.TryGetDouble(out var lon) || !latEl.TryGetDouble(out var lat))
            {
                report(p, "A position must be an array [lon, lat] of numbers.");
                return null;
            }
            if (lon is < -180 or > 180 || lat is < -90 or > 90)
            {
                report(p, string.Create(CultureInfo.InvariantCulture,
                    $"Position [{lon}, {lat}] is out of range: lon must be in [-180, 180] and lat in [-90, 90] (RFC 7946 order is lon, lat)."));
                return null;
            }
            pts[i++] = new Coordinate(lon, lat);
        }
        if (pts.Length < 4)
        {
            report(path, $"A linear ring needs at least 4 positions (first = last); it has {pts.Length}.");
            return null;
        }
        if (!pts[0].Equals2D(pts[^1]))
        {
            report(path, string.Create(CultureInfo.InvariantCulture,
                $"Linear ring is not closed: first position [{pts[0].X}, {pts[0].Y}] differs from last [{pts[^1].X}, {pts[^1].Y}]."));
            return null;
        }
        return pts;
    }
}
