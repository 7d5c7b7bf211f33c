using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>A region on a case's chain: its code and level.</summary>
public readonly record struct RegionRef(string Code, RegionLevel Level);

/// <summary>
/// A case's region and the regions above it, from itself up to the city. The installed region tree decides
/// when it knows the code; otherwise the code scheme does (DOMAIN.md §1: a code's prefixes are its ancestors),
/// so escalation and live scopes still work for a grid imported later or a host without a directory.
/// </summary>
public sealed class CaseRegionChain(IRegionDirectory? directory = null)
{
    public GridCodeScheme Scheme => directory?.Scheme ?? GridCodeScheme.CjT213;

    /// <summary>The region itself first, then each ancestor up to the city; empty for a code neither the tree nor the scheme knows.</summary>
    public IReadOnlyList<RegionRef> Of(string regionCode)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        if (directory?.Find(regionCode) is { } node)
        {
            var fromTree = new List<RegionRef>();
            for (var n = node; n is not null; n = n.Parent) fromTree.Add(new RegionRef(n.Code, n.Level));
            return fromTree;
        }
        var scheme = Scheme;
        var chain = new List<RegionRef>();
        for (string? code = regionCode; code is not null && scheme.TryGetLevel(code, out var level, out _); code = scheme.ParentOf(code))
            chain.Add(new RegionRef(code, level));
        return chain;
    }

    /// <summary>The live-feed scopes allowed to see something in the region: its chain's codes (the region itself when unknown).</summary>
    public IReadOnlyList<string> ScopesOf(string regionCode)
    {
        var chain = Of(regionCode);
        return chain.Count == 0 ? [regionCode] : [.. chain.Select(r => r.Code)];
    }
}
