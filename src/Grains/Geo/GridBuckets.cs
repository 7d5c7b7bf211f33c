using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// A uniform grid of buckets over the grids' envelopes, in flat arrays (CSR layout): a point's
/// bucket is two multiplications away and its candidates are one contiguous run of ints, in grid
/// index (= code) order. Replaces an NTS STRtree on the lookup path, where walking the tree's
/// node objects cost ~550 ns per query on random points (cache misses), more than the whole
/// per-lookup budget of the 2M lookups/s target.
/// </summary>
/// <remarks>
/// Consistency at bucket edges: a grid is registered in every bucket from floor((min − origin)/size)
/// to floor((max − origin)/size), and a point maps with the same expression; both are monotone in
/// IEEE arithmetic, so a point inside a grid's closed envelope always finds that grid.
/// </remarks>
internal sealed class GridBuckets
{
    private readonly double _originX, _originY, _invCellW, _invCellH;
    private readonly int _cols, _rows;
    private readonly int[] _start;   // bucket b's candidates are _items[_start[b] .. _start[b + 1])
    private readonly int[] _items;

    public GridBuckets(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count == 0)
        {
            _cols = _rows = 0;
            _start = [0];
            _items = [];
            return;
        }
        var all = new Envelope();
        foreach (var e in envelopes) all.ExpandToInclude(e);

        // Bucket about the size of a typical grid, but never more than ~4 buckets per grid, so a
        // sparse city spread over a huge bounding box cannot blow up memory.
        var widths = envelopes.Select(static e => e.Width).Order().ToArray();
        var heights = envelopes.Select(static e => e.Height).Order().ToArray();
        var cellW = Math.Max(widths[widths.Length / 2], all.Width / 4096);
        var cellH = Math.Max(heights[heights.Length / 2], all.Height / 4096);
        if (cellW <= 0) cellW = 1e-9;
        if (cellH <= 0) cellH = 1e-9;
        var maxBuckets = Math.Max(1024.0, 4.0 * envelopes.Count);
        var scale = Math.Sqrt(Math.Max(1, Math.Ceiling(all.Width / cellW + 1) * Math.Ceiling(all.Height / cellH + 1) / maxBuckets));
        cellW *= scale;
        cellH *= scale;

        _originX = all.MinX;
        _originY = all.MinY;
        _invCellW = 1 / cellW;
        _invCellH = 1 / cellH;
        _cols = (int)((all.MaxX - _originX) * _invCellW) + 1;
        _rows = (int)((all.MaxY - _originY) * _invCellH) + 1;

        var counts = new int[_cols * _rows + 1];
        foreach (var e in envelopes) ForEachBucket(e, b => counts[b]++);
        _start = new int[counts.Length];
        for (var b = 1; b < counts.Length; b++) _start[b] = _start[b - 1] + counts[b - 1];
        _items = new int[_start[^1]];
        var fill = (int[])_start.Clone();
        for (var i = 0; i < envelopes.Count; i++)
        {
            var grid = i;
            ForEachBucket(envelopes[i], b => _items[fill[b]++] = grid);   // ascending i → each bucket sorted
        }
    }

    public int BucketCount => _cols * _rows;

    private void ForEachBucket(Envelope e, Action<int> action)
    {
        var c0 = (int)((e.MinX - _originX) * _invCellW);
        var c1 = (int)((e.MaxX - _originX) * _invCellW);
        var r0 = (int)((e.MinY - _originY) * _invCellH);
        var r1 = (int)((e.MaxY - _originY) * _invCellH);
        for (var r = r0; r <= r1; r++)
            for (var c = c0; c <= c1; c++)
                action(r * _cols + c);
    }

    /// <summary>Candidate grid indices (ascending) whose envelope may contain (x, y); empty outside.</summary>
    public ReadOnlySpan<int> Candidates(double x, double y)
    {
        var dx = (x - _originX) * _invCellW;
        var dy = (y - _originY) * _invCellH;
        if (!(dx >= 0 && dy >= 0 && dx < _cols && dy < _rows)) return default;   // outside; also rejects NaN
        var b = (int)dy * _cols + (int)dx;
        return _items.AsSpan(_start[b], _start[b + 1] - _start[b]);
    }
}
