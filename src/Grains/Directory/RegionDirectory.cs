using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// The in-memory region directory: one immutable <see cref="RegionSnapshot"/> (tree, grid index and
/// the scope chain of every code) that <see cref="Install"/> replaces with a single reference swap,
/// so a reader sees either the old city or the new one, never a mix. Reads take no lock.
/// </summary>
public sealed class RegionDirectory : IRegionDirectory
{
    private readonly Lock _installGate = new();
    private RegionSnapshot _snapshot;

    public RegionDirectory(GridCodeScheme? scheme = null)
    {
        Scheme = scheme ?? GridCodeScheme.CjT213;
        _snapshot = RegionSnapshot.Empty;
    }

    public GridCodeScheme Scheme { get; }

    public long Version => Current.Version;

    public RegionTree? Tree => Current.Tree;

    /// <summary>The grid index of the installed tree (empty before the first import).</summary>
    public GridIndex Index => Current.Index;

    private RegionSnapshot Current => Volatile.Read(ref _snapshot);

    public RegionNode? Find(string code) => Current.Tree?.Find(code);

    public string? LocateGrid(double lat, double lon, string? lastGrid = null) => Current.Index.Locate(lat, lon, lastGrid);

    /// <summary>The cached chain (no allocation); empty for a code that is not in the installed tree.</summary>
    public IReadOnlyList<string> ScopesOf(string regionCode) =>
        Current.Scopes.TryGetValue(regionCode, out var scopes) ? scopes : [];

    /// <summary>Whether <paramref name="scopeCode"/> (a user's region scope) covers <paramref name="code"/>, per the code scheme.</summary>
    public bool Covers(string? scopeCode, string? code) => Scheme.Covers(scopeCode, code);

    public void Install(RegionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (tree.Scheme != Scheme)
            throw new ArgumentException($"The tree uses the {tree.Scheme.Name} code scheme; this directory uses {Scheme.Name}.", nameof(tree));
        // Built outside the swap so readers keep the old snapshot meanwhile; the gate only orders
        // concurrent installs so versions increase in the order trees become visible.
        lock (_installGate)
        {
            var next = RegionSnapshot.Build(tree, _snapshot.Version + 1);
            Volatile.Write(ref _snapshot, next);
        }
    }
}

/// <summary>Everything derived from one tree, built once and never changed.</summary>
internal sealed class RegionSnapshot
{
    public static readonly RegionSnapshot Empty = new(null, new GridIndex([]), new Dictionary<string, string[]>(StringComparer.Ordinal), 0);

    private RegionSnapshot(RegionTree? tree, GridIndex index, Dictionary<string, string[]> scopes, long version)
    {
        Tree = tree;
        Index = index;
        Scopes = scopes;
        Version = version;
    }

    public RegionTree? Tree { get; }
    public GridIndex Index { get; }
    public IReadOnlyDictionary<string, string[]> Scopes { get; }
    public long Version { get; }

    public static RegionSnapshot Build(RegionTree tree, long version)
    {
        var scopes = new Dictionary<string, string[]>(tree.Count, StringComparer.Ordinal);
        // Parents come before children in All(), so each chain is the parent's chain with one code in front.
        foreach (var node in tree.All())
        {
            var parentChain = node.Parent is { } p ? scopes[p.Code] : [];
            var chain = new string[parentChain.Length + 1];
            chain[0] = node.Code;
            parentChain.CopyTo(chain, 1);
            scopes.Add(node.Code, chain);
        }
        return new RegionSnapshot(tree, GridIndex.Build(tree), scopes, version);
    }
}
