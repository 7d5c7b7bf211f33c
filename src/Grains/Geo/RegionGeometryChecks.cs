using System.Collections.Concurrent;
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
/// <remarks>
/// Both checks run in parallel: in a tiling every child shares edges with its parent, which sends
/// NTS's prepared Covers to a full relate (~100 µs each), so 17,350 grids take seconds on one core.
/// Work items never share a prepared geometry (NTS builds its internals lazily), and findings are
/// reported in feature order afterwards, so the error list is deterministic.
/// </remarks>
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
        // One work item per parent, so its prepared geometry stays on one thread.
        var families = features
            .Where(c => c.Geometry is not null && c.ParentCode is not null
                        && byCode.TryGetValue(c.ParentCode, out var p) && p.Geometry is not null)
            .GroupBy(static c => c.ParentCode!, StringComparer.Ordinal)
            .ToArray();
        var total = families.Sum(static g => g.Count());
        var done = 0;
        var findings = new ConcurrentBag<(ParsedFeature Feature, string Message)>();
        Parallel.ForEach(families, new ParallelOptions { CancellationToken = ct }, family =>
        {
            var parent = byCode[family.Key];
            var prepared = PreparedGeometryFactory.Prepare(parent.Geometry);
            foreach (var child in family)
            {
                if (CheckChild(child, parent, prepared) is { } message) findings.Add((child, message));
            }
            Report("containment", Interlocked.Add(ref done, family.Count()), total);
        });
        ReportInOrder(findings);
    }

    private string? CheckChild(ParsedFeature child, ParsedFeature parent, IPreparedGeometry prepared)
    {
        if (prepared.Covers(child.Geometry)) return null;
        double outside;
        try
        {
            var inside = child.Geometry!.Intersection(parent.Geometry).Area;
            outside = child.Geometry.Area <= 0 ? 0 : 1 - inside / child.Geometry.Area;
        }
        catch (TopologyException ex)
        {
            return $"Could not intersect with parent '{parent.Code}': {ex.Message}.";
        }
        return outside > options.ContainmentTolerance
            ? string.Create(CultureInfo.InvariantCulture,
                $"{outside:P1} of this {child.Level.ToWireName()} lies outside its parent '{parent.Code}' (tolerance {options.ContainmentTolerance:P1}).")
            : null;
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

        var done = 0;
        var findings = new ConcurrentBag<(ParsedFeature Feature, string Message)>();
        Parallel.For(0, grids.Length, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var a = grids[i];
            IPreparedGeometry? pa = null;
            foreach (var j in tree.Query(a.Geometry!.EnvelopeInternal))
            {
                if (j <= i) continue;
                var b = grids[j];
                pa ??= PreparedGeometryFactory.Prepare(a.Geometry);
                if (!pa.Intersects(b.Geometry)) continue;
                var (first, second) = a.Index < b.Index ? (a, b) : (b, a);
                double areaM2;
                try
                {
                    areaM2 = GeoArea.SquareMetres(a.Geometry.Intersection(b.Geometry!));
                }
                catch (TopologyException ex)
                {
                    findings.Add((second, $"Could not intersect with grid '{first.Code}': {ex.Message}."));
                    continue;
                }
                if (areaM2 > options.OverlapToleranceM2)
                {
                    findings.Add((second, string.Create(CultureInfo.InvariantCulture,
                        $"Overlaps grid '{first.Code}' (feature #{first.Index}) by {areaM2:F1} m² (tolerance {options.OverlapToleranceM2} m²).")));
                }
            }
            var n = Interlocked.Increment(ref done);
            if (n % ProgressStep == 0 || n == grids.Length) Report("overlaps", n, grids.Length);
        });
        ReportInOrder(findings);
    }

    private void Report(string stage, int processed, int total) => progress?.Report(new ImportProgress(stage, processed, total));

    private void ReportInOrder(IEnumerable<(ParsedFeature Feature, string Message)> findings)
    {
        foreach (var (feature, message) in findings.OrderBy(static f => f.Feature.Index).ThenBy(static f => f.Message, StringComparer.Ordinal))
            feature.Report(errors, "geometry", message);
    }
}
