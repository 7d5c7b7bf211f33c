namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// A validated, immutable region tree. Built only by the importer (after every check passed) or by
/// <see cref="SyntheticCity"/>, so holders can rely on unique codes and parent links.
/// </summary>
public sealed class RegionTree
{
    private readonly Dictionary<string, RegionNode> _byCode;

    internal RegionTree(GridCodeScheme scheme, IEnumerable<RegionNode> nodes)
    {
        Scheme = scheme;
        _byCode = new Dictionary<string, RegionNode>(StringComparer.Ordinal);
        foreach (var node in nodes) _byCode.Add(node.Code, node);

        var roots = new List<RegionNode>();
        foreach (var node in _byCode.Values)
        {
            if (node.ParentCode is { } p && _byCode.TryGetValue(p, out var parent)) parent.AttachChild(node);
            else roots.Add(node);
        }
        foreach (var node in _byCode.Values) node.SortChildren();
        roots.Sort(static (a, b) => string.CompareOrdinal(a.Code, b.Code));
        Roots = roots;
        Grids = Walk(roots).Where(static n => n.Level == RegionLevel.Grid).ToArray();
    }

    public GridCodeScheme Scheme { get; }
    /// <summary>Top regions (normally one city; a subtree import has its top region here).</summary>
    public IReadOnlyList<RegionNode> Roots { get; }
    /// <summary>All unit grids in depth-first code order.</summary>
    public IReadOnlyList<RegionNode> Grids { get; }
    public int Count => _byCode.Count;

    public RegionNode? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>Every region in depth-first order, parents before children, siblings by code.</summary>
    public IEnumerable<RegionNode> All() => Walk(Roots);

    /// <summary>The region <paramref name="code"/> and everything under it, parents first.</summary>
    public IEnumerable<RegionNode> Subtree(string code) =>
        _byCode.TryGetValue(code, out var node) ? Walk([node]) : throw new KeyNotFoundException($"Region '{code}' is not in the tree.");

    private static IEnumerable<RegionNode> Walk(IReadOnlyList<RegionNode> start)
    {
        var stack = new Stack<RegionNode>();
        for (var i = start.Count - 1; i >= 0; i--) stack.Push(start[i]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            for (var i = n.Children.Count - 1; i >= 0; i--) stack.Push(n.Children[i]);
        }
    }
}
