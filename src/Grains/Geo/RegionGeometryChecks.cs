using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// The importer's checks between features: each child mostly inside its parent, and no two unit
/// grids overlapping (DOMAIN.md §1: a grid belongs to exactly one community, a point to one grid).
/// Only features whose own geometry was valid take part, so one bad ring does not cascade.
/// </summary>
internal sealed class RegionGeometryChecks(RegionImportOptions options, ErrorList errors, IProgress<ImportProgress>? progress, CancellationToken ct)
{
    private const int ProgressStep = 500;

    public void CheckContainment(List<ParsedFeature> features)
    {
        var byCode = new Dictionary<string, ParsedFeature>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            if (f.Code is not null) byCode.TryAdd(f.Code, f);
        }
        var prepared = new Dictionary<string, IPreparedGeometry>(StringComparer.Ordinal);
        var done = 0;
        foreach (var child in features)
        {
            ct.ThrowIfCancellationRequested();
            if (errors.IsFull) return;
            if (++done % ProgressStep == 0 || done == features.Count) progress?.Report(new ImportProgress("containment", done, features.Count));
            if (child.Geometry is null || child.ParentCode is null
                || !byCode.TryGetValue(child.ParentCode, out var parent) || parent.Geometry is null) continue;

            if (!prepared.TryGetValue(parent.Code!, out var pp))
            {
                pp = PreparedGeometryFactory.Prepare(parent.Geometry);
                prepared.Add(parent.Code!, pp);
            }
            if (pp.Covers(child.Geometry)) continue;

            double outside;
            try
            {
                var inside = child.Geometry.Intersection(parent.Geometry).Area;
                outside = child.Geometry.Area <= 0 ? 0 : 1 - inside / child.Geometry.Area;
            }
            catch (TopologyException ex)
            {
                child.Report(errors, "geometry", $"Could not intersect with parent '{parent.Code}': {ex.Message}.");
                continue;
            }
            if (outside > options.ContainmentTolerance)
            {
                child.Report(errors, "geometry", string.Create(CultureInfo.InvariantCulture,
                    $"{outside:P1} of this {child.Level.ToWireName()} lies outside its parent '{parent.Code}' (tolerance {options.ContainmentTolerance:P1})."));
            }
        }
    }

    /// <summary>Every pair of grids with intersecting envelopes, not only siblings: grids of
    /// neighbouring communities must not overlap either.</summary>
    public void CheckGridOverlaps(List<ParsedFeature> features)
    {
        var grids = features.Where(static f => f.Code is not null && f.Level == RegionLevel.Grid && f.Geometry is not null).ToArray();
        if (grids.Length < 2) return;
        var tree = new STRtree<int>();
        for (var i = 0; i < grids.Length; i++) tree.Insert(grids[i].Geometry!.EnvelopeInternal, i);
        tree.Build();

        for (var i = 0; i < grids.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (errors.IsFull) return;
            if ((i + 1) % ProgressStep == 0 || i + 1 == grids.Length) progress?.Report(new ImportProgress("overlaps", i + 1, grids.Length));
            var a = grids[i];
            IPreparedGeometry? pa = null;
            foreach (var j in tree.Query(a.Geometry!.EnvelopeInternal))
            {
                if (j <= i) continue;
                var b = grids[j];
                pa ??= PreparedGeometryFactory.Prepare(a.Geometry);
                if (!pa.Intersects(b.Geometry)) continue;
                double areaM2;
                try
                {
                    var overlap = a.Geometry.Intersection(b.Geometry!);
                    areaM2 = GeoArea.SquareMetres(overlap);
                }
                catch (TopologyException ex)
                {
                    b.Report(errors, "geometry", $"Could not intersect with grid '{a.Code}': {ex.Message}.");
                    continue;
                }
                if (areaM2 > options.OverlapToleranceM2)
                {
                    var (first, second) = a.Index < b.Index ? (a, b) : (b, a);
                    second.Report(errors, "geometry", string.Create(CultureInfo.InvariantCulture,
                        $"Overlaps grid '{first.Code}' (feature #{first.Index}) by {areaM2:F1} m² (tolerance {options.OverlapToleranceM2} m²)."));
                }
            }
        }
    }
}
