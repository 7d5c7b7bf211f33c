using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index;
using NetTopologySuite.Index.Strtree;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Point → unit grid lookup for terminal positions: an STR-tree over grid envelopes finds the few
/// candidates, an <see cref="IndexedPointInAreaLocator"/> per grid decides containment.
/// Immutable after construction and safe for any number of concurrent readers.
/// </summary>
/// <remarks>
/// <para><b>Which grid owns a point.</b> A grid covers a point when the point is in its interior or
/// on its boundary; a point in a hole is outside that grid. A point in the interior of a grid
/// belongs to that grid. A point on a shared edge or vertex (boundary of several grids, interior of
/// none) belongs to the covering grid with the smallest code (ordinal). If grids overlap (the
/// importer rejects that) the interior grid with the smallest code wins. So the answer is a pure
/// function of the point and the grid set, independent of insertion order and thread.</para>
/// <para><b>Last-grid hint.</b> <see cref="Locate(double, double, string?)"/> first tests the
/// worker's previous grid: if the point is in its interior the answer is that grid without touching
/// the tree. A boundary point falls through to the full rule, so the hint never changes the answer
/// for non-overlapping grids.</para>
/// <para><b>Threading.</b> NTS builds two structures lazily on first query: the STR-tree and each
/// locator's interval tree. Both are forced here at construction, so readers only ever read.
/// Per-call scratch (query envelope, coordinate, visitor) is thread-static, so the hot path does not
/// allocate a Point, an Envelope or a result list; what remains is NTS's own small per-locate
/// counter objects (see the benchmark).</para>
/// </remarks>
public sealed class GridIndex
{
    private readonly string[] _codes;                         // ordinal-sorted: index order == code order
    private readonly IndexedPointInAreaLocator[] _locators;
    private readonly double[] _minX, _minY, _maxX, _maxY;     // grid envelopes, for the hint's cheap reject
    private readonly Dictionary<string, int> _indexByCode;
    private readonly STRtree<int> _tree;

    [ThreadStatic] private static Scratch? t_scratch;

    /// <param name="grids">Grid code → Polygon or MultiPolygon in lon/lat.</param>
    public GridIndex(IEnumerable<KeyValuePair<string, Geometry>> grids)
    {
        var list = grids.ToList();
        list.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var n = list.Count;
        _codes = new string[n];
        _locators = new IndexedPointInAreaLocator[n];
        _minX = new double[n]; _minY = new double[n]; _maxX = new double[n]; _maxY = new double[n];
        _indexByCode = new Dictionary<string, int>(n, StringComparer.Ordinal);
        _tree = new STRtree<int>();
        var probe = new Coordinate();
        for (var i = 0; i < n; i++)
        {
            var (code, geometry) = (list[i].Key, list[i].Value);
            if (geometry is not (Polygon or MultiPolygon))
                throw new ArgumentException($"Grid '{code}' must be a Polygon or MultiPolygon, not {geometry.GeometryType}.", nameof(grids));
            if (!_indexByCode.TryAdd(code, i))
                throw new ArgumentException($"Grid '{code}' appears twice.", nameof(grids));
            _codes[i] = code;
            var env = geometry.EnvelopeInternal;
            _minX[i] = env.MinX; _minY[i] = env.MinY; _maxX[i] = env.MaxX; _maxY[i] = env.MaxY;
            _tree.Insert(env, i);
            _locators[i] = new IndexedPointInAreaLocator(geometry);
            // Force the locator's lazily built interval tree now: its first-use initialisation is not
            // something concurrent readers should race on.
            probe.X = env.Centre.X;
            probe.Y = env.Centre.Y;
            _locators[i].Locate(probe);
        }
        _tree.Build();
        if (n > 0) _tree.Query(new Envelope(_minX[0], _minX[0], _minY[0], _minY[0]), new Scratch()); // touches every lazy path once
    }

    public static GridIndex Build(RegionTree tree) =>
        new(tree.Grids.Select(static g => KeyValuePair.Create(g.Code, g.Geometry)));

    public int Count => _codes.Length;

    /// <summary>The code of the grid owning (<paramref name="lat"/>, <paramref name="lon"/>), or null outside every grid.</summary>
    public string? Locate(double lat, double lon) => Locate(lat, lon, null);

    /// <summary>As <see cref="Locate(double, double)"/>, first trying <paramref name="lastGrid"/> (the terminal's previous grid).</summary>
    public string? Locate(double lat, double lon, string? lastGrid)
    {
        if (!double.IsFinite(lat) || !double.IsFinite(lon)) return null;
        var s = t_scratch ??= new Scratch();
        var p = s.Point;
        p.X = lon;
        p.Y = lat;

        if (lastGrid is not null && _indexByCode.TryGetValue(lastGrid, out var last)
            && lon >= _minX[last] && lon <= _maxX[last] && lat >= _minY[last] && lat <= _maxY[last]
            && _locators[last].Locate(p) == Location.Interior)
        {
            return _codes[last];
        }

        s.Owner = this;
        s.Best = -1;
        s.BestInterior = false;
        s.Query.Init(lon, lon, lat, lat);
        _tree.Query(s.Query, s);
        s.Owner = null;
        return s.Best < 0 ? null : _codes[s.Best];
    }

    /// <summary>Per-thread scratch: reused query envelope, point and candidate visitor.</summary>
    private sealed class Scratch : IItemVisitor<int>
    {
        public readonly Envelope Query = new();
        public readonly Coordinate Point = new();
        public GridIndex? Owner;
        public int Best;
        public bool BestInterior;

        public void VisitItem(int i)
        {
            if (Owner is null) return;
            // Candidates arrive in tree order; lower index == smaller code, so skip what cannot win.
            if (BestInterior && i > Best) return;
            if (!BestInterior && Best >= 0 && i > Best)
            {
                // A boundary hit is known; only an interior hit can still win against it.
                if (Owner._locators[i].Locate(Point) == Location.Interior) { Best = i; BestInterior = true; }
                return;
            }
            switch (Owner._locators[i].Locate(Point))
            {
                case Location.Interior:
                    Best = i;
                    BestInterior = true;
                    break;
                case Location.Boundary when !BestInterior:
                    Best = i;
                    break;
            }
        }
    }
}
