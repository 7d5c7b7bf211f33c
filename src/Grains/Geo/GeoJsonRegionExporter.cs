using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Writes a region tree (or the subtree under one code) as a GeoJSON FeatureCollection that
/// <see cref="GeoJsonRegionImporter"/> reads back to the same tree: same codes, names, levels,
/// parents, area classes and coordinates (doubles are written shortest-round-trip).
/// </summary>
/// <remarks>
/// Rings are written with RFC 7946 §3.1.6 winding (exterior counter-clockwise, holes clockwise),
/// positions as [lon, lat]. Parents come before children. <c>areaM2</c> is informative; the
/// importer recomputes it.
/// </remarks>
public static class GeoJsonRegionExporter
{
    // Keep Chinese names readable in the file instead of \uXXXX escapes; still escapes what JSON requires.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Indented = false,
    };

    public static string ToGeoJson(RegionTree tree, string? rootCode = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(tree, buffer, rootCode);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(RegionTree tree, Stream destination, string? rootCode = null)
    {
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        Write(tree, writer, rootCode);
    }

    public static void Write(RegionTree tree, IBufferWriter<byte> destination, string? rootCode = null)
    {
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        Write(tree, writer, rootCode);
    }

    private static void Write(RegionTree tree, Utf8JsonWriter w, string? rootCode)
    {
        var nodes = rootCode is null ? tree.All() : tree.Subtree(rootCode);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (var node in nodes) WriteFeature(w, node);
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteFeature(Utf8JsonWriter w, RegionNode node)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WriteStartObject("properties");
        w.WriteString("code", node.Code);
        w.WriteString("name", node.Name);
        w.WriteString("level", node.Level.ToWireName());
        if (node.ParentCode is not null) w.WriteString("parent", node.ParentCode);
        if (node.AreaClass is { } ac) w.WriteString("areaClass", ac.ToWireName());
        w.WriteNumber("areaM2", Math.Round(node.AreaM2, 1));
        w.WriteEndObject();
        w.WritePropertyName("geometry");
        WriteGeometry(w, node.Geometry);
        w.WriteEndObject();
    }

    internal static void WriteGeometry(Utf8JsonWriter w, Geometry geometry)
    {
        w.WriteStartObject();
        switch (geometry)
        {
            case Polygon p:
                w.WriteString("type", "Polygon");
                w.WritePropertyName("coordinates");
                WritePolygon(w, p);
                break;
            case MultiPolygon mp:
                w.WriteString("type", "MultiPolygon");
                w.WriteStartArray("coordinates");
                for (var i = 0; i < mp.NumGeometries; i++) WritePolygon(w, (Polygon)mp.GetGeometryN(i));
                w.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Regions are Polygon or MultiPolygon, not {geometry.GeometryType}.");
        }
        w.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter w, Polygon p)
    {
        w.WriteStartArray();
        WriteRing(w, p.Shell.CoordinateSequence, counterClockwise: true);
        foreach (var hole in p.Holes) WriteRing(w, hole.CoordinateSequence, counterClockwise: false);
        w.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter w, CoordinateSequence ring, bool counterClockwise)
    {
        var reverse = Orientation.IsCCW(ring) != counterClockwise;
        w.WriteStartArray();
        for (var k = 0; k < ring.Count; k++)
        {
            var i = reverse ? ring.Count - 1 - k : k;
            w.WriteStartArray();
            w.WriteNumberValue(ring.GetX(i));
            w.WriteNumberValue(ring.GetY(i));
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
