using System.Globalization;
using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Deterministic synthetic city for demos, tests and benchmarks: same options and seed → same codes,
/// names and coordinates on every machine.
/// </summary>
/// <remarks>
/// Method: a lattice of cells of <see cref="SyntheticCityOptions.CellSizeMetres"/> around the centre.
/// Every region at every level is a rectangle of whole cells (communities are blocks of cells,
/// streets blocks of communities, ...), and its polygon walks <i>every</i> lattice vertex on its
/// boundary. Each lattice vertex is jittered by a hash of (seed, column, row), so all polygons that
/// share a vertex move it identically: children tile their parent exactly, neighbours share edges,
/// nothing overlaps, and there are no T-junction slivers. Grids are numbered W→E, N→S as in the
/// Beijing DB11 practice (DOMAIN.md §1); a community with fewer grids than cells gives some grids
/// two cells in a row.
/// </remarks>
public sealed class SyntheticCity
{
    private SyntheticCity(SyntheticCityOptions o, RegionTree tree, double west, double north, double dLon, double dLat, int cols, int rows)
    {
        Options = o;
        Tree = tree;
        var m = o.Jitter;
        Bounds = new Envelope(west + m * dLon, west + (cols - m) * dLon, north - (rows - m) * dLat, north - m * dLat);
    }

    public RegionTree Tree { get; }
    public SyntheticCityOptions Options { get; }

    /// <summary>A lon/lat rectangle (X = lon, Y = lat) every point of which lies in some grid.</summary>
    public Envelope Bounds { get; }

    public string ToGeoJson() => GeoJsonRegionExporter.ToGeoJson(Tree);

    public static SyntheticCity Generate(SyntheticCityOptions? options = null)
    {
        var o = options ?? SyntheticCityOptions.Demo;
        Validate(o);
        var scheme = o.Scheme;
        var communities = o.Districts * o.StreetsPerDistrict * o.CommunitiesPerStreet;
        var total = o.TotalGrids ?? communities * o.GridsPerCommunity;
        var baseGrids = total / communities;
        var extra = total % communities;
        var maxGrids = baseGrids + (extra > 0 ? 1 : 0);
        var cc = (int)Math.Ceiling(Math.Sqrt(maxGrids));
        var cr = (maxGrids + cc - 1) / cc;
        if (baseGrids < cr)
            throw new ArgumentException($"Too few grids per community ({baseGrids}) to fill a {cc}×{cr} block; use equal counts or more grids.", nameof(options));
        var maxSeq = Math.Pow(10, scheme.GridDigits) - 1;
        if (maxGrids > maxSeq) throw new ArgumentException($"{maxGrids} grids per community exceed the {scheme.GridDigits}-digit grid sequence.", nameof(options));

        // Which communities get the extra grid: a seeded choice, so it is not always the first ones.
        var extraSet = new HashSet<int>(Enumerable.Range(0, communities)
            .OrderBy(i => Hash(o.Seed, i, 0, 7)).Take(extra));

        var (kx, ky) = Arrange(o.CommunitiesPerStreet, cc, cr);
        var streetW = kx * cc; var streetH = ky * cr;
        var (sx, sy) = Arrange(o.StreetsPerDistrict, streetW, streetH);
        var districtW = sx * streetW; var districtH = sy * streetH;
        var (dx, dy) = Arrange(o.Districts, districtW, districtH);
        var cols = dx * districtW; var rows = dy * districtH;

        var (mLon, mLat) = GeoArea.MetresPerDegree(o.CentreLat);
        var dLon = o.CellSizeMetres / mLon;
        var dLat = o.CellSizeMetres / mLat;
        var west = o.CentreLon - cols * dLon / 2;
        var north = o.CentreLat + rows * dLat / 2;
        var gen = new Lattice(o, west, north, dLon, dLat);

        var nodes = new List<RegionNode>(total + communities * 2);
        nodes.Add(new RegionNode(o.CityCode, o.CityName, RegionLevel.City, null, gen.Rect(0, 0, cols, rows), null));
        var communityIndex = 0;
        for (var d = 0; d < o.Districts; d++)
        {
            var dc = (d % dx) * districtW; var dr = (d / dx) * districtH;
            var dCode = scheme.ChildCode(o.CityCode, d + 1);
            var dName = string.Create(CultureInfo.InvariantCulture, $"合成{d + 1}区");
            nodes.Add(new RegionNode(dCode, dName, RegionLevel.District, o.CityCode, gen.Rect(dc, dr, districtW, districtH), null));
            for (var s = 0; s < o.StreetsPerDistrict; s++)
            {
                var sc = dc + (s % sx) * streetW; var sr = dr + (s / sx) * streetH;
                var sCode = scheme.ChildCode(dCode, s + 1);
                var sName = string.Create(CultureInfo.InvariantCulture, $"{dName}{s + 1}街道");
                nodes.Add(new RegionNode(sCode, sName, RegionLevel.Street, dCode, gen.Rect(sc, sr, streetW, streetH), null));
                for (var c = 0; c < o.CommunitiesPerStreet; c++, communityIndex++)
                {
                    var c0 = sc + (c % kx) * cc; var r0 = sr + (c / kx) * cr;
                    var cCode = scheme.ChildCode(sCode, c + 1);
                    var cName = string.Create(CultureInfo.InvariantCulture, $"{sName}{c + 1}社区");
                    nodes.Add(new RegionNode(cCode, cName, RegionLevel.Community, sCode, gen.Rect(c0, r0, cc, cr), null));
                    var g = baseGrids + (extraSet.Contains(communityIndex) ? 1 : 0);
                    AddGrids(nodes, gen, scheme, o, cCode, cName, c0, r0, cc, cr, g);
                }
            }
        }
        return new SyntheticCity(o, new RegionTree(scheme, nodes), west, north, dLon, dLat, cols, rows);
    }

    /// <summary>Grids of one community: rows N→S, runs of cells W→E; rows split g as evenly as possible.</summary>
    private static void AddGrids(List<RegionNode> nodes, Lattice gen, GridCodeScheme scheme, SyntheticCityOptions o,
        string cCode, string cName, int c0, int r0, int cc, int cr, int g)
    {
        var seq = 0;
        for (var r = 0; r < cr; r++)
        {
            var inRow = g / cr + (r < g % cr ? 1 : 0);
            var col = 0;
            for (var k = 0; k < inRow; k++)
            {
                var width = cc / inRow + (k < cc % inRow ? 1 : 0);
                seq++;
                var code = scheme.ChildCode(cCode, seq);
                var cls = Hash(o.Seed, c0 + col, r0 + r, 3) < 2 * o.Class1Fraction - 1 ? AreaClass.Class1 : AreaClass.Class2;
                var name = string.Create(CultureInfo.InvariantCulture, $"{cName}网格{seq:00}");
                nodes.Add(new RegionNode(code, name, RegionLevel.Grid, cCode, gen.Rect(c0 + col, r0 + r, width, 1), cls));
                col += width;
            }
        }
    }

    /// <summary>Factor n items into a (across, down) block close to square given each item's size.</summary>
    private static (int Across, int Down) Arrange(int n, int itemW, int itemH)
    {
        var best = (Across: n, Down: 1);
        var bestScore = double.MaxValue;
        for (var a = 1; a <= n; a++)
        {
            if (n % a != 0) continue;
            var w = (double)a * itemW; var h = (double)(n / a) * itemH;
            var score = Math.Max(w, h) / Math.Min(w, h);
            if (score < bestScore) { bestScore = score; best = (a, n / a); }
        }
        return best;
    }

    private static void Validate(SyntheticCityOptions o)
    {
        if (o.Districts < 1 || o.StreetsPerDistrict < 1 || o.CommunitiesPerStreet < 1)
            throw new ArgumentException("Districts, streets and communities must each be at least 1.", nameof(o));
        if (o.TotalGrids is null && o.GridsPerCommunity < 1) throw new ArgumentException("GridsPerCommunity must be at least 1.", nameof(o));
        if (o.TotalGrids is < 1) throw new ArgumentException("TotalGrids must be at least 1.", nameof(o));
        if (o.Jitter is < 0 or > 0.3) throw new ArgumentException("Jitter must be within 0..0.3 of a cell.", nameof(o));
        if (o.CellSizeMetres <= 0) throw new ArgumentException("CellSizeMetres must be positive.", nameof(o));
        if (!o.Scheme.TryValidate(o.CityCode, RegionLevel.City, out var err)) throw new ArgumentException(err, nameof(o));
    }

    /// <summary>Deterministic value in [-1, 1) from the seed and three integers (SplitMix64 finaliser).</summary>
    internal static double Hash(int seed, int a, int b, int salt)
    {
        unchecked
        {
            var z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
            z ^= (ulong)(uint)a * 0xBF58476D1CE4E5B9UL;
            z ^= (ulong)(uint)b * 0x94D049BB133111EBUL;
            z ^= (ulong)(uint)salt * 0xD6E8FEB86659FD93UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (2.0 / (1UL << 53)) - 1.0;
        }
    }

    /// <summary>The jittered lattice: vertex (column i, row j from the north) → lon/lat.</summary>
    private sealed class Lattice(SyntheticCityOptions o, double west, double north, double dLon, double dLat)
    {
        public Coordinate Vertex(int i, int j) => new(
            west + (i + o.Jitter * Hash(o.Seed, i, j, 1)) * dLon,
            north - (j + o.Jitter * Hash(o.Seed, i, j, 2)) * dLat);

        /// <summary>Counter-clockwise polygon of the cell rectangle [c0, c0+w) × [r0, r0+h), through every boundary vertex.</summary>
        public Polygon Rect(int c0, int r0, int w, int h)
        {
            var pts = new Coordinate[2 * (w + h) + 1];
            var k = 0;
            for (var j = r0; j < r0 + h; j++) pts[k++] = Vertex(c0, j);          // west side, going south
            for (var i = c0; i < c0 + w; i++) pts[k++] = Vertex(i, r0 + h);      // south side, going east
            for (var j = r0 + h; j > r0; j--) pts[k++] = Vertex(c0 + w, j);      // east side, going north
            for (var i = c0 + w; i > c0; i--) pts[k++] = Vertex(i, r0);          // north side, going west
            pts[k] = pts[0].Copy();
            return GeoJsonGeometryReader.Factory.CreatePolygon(pts);
        }
    }
}
