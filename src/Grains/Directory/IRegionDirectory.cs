using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// The city's current region tree and point → grid index, shared read-only by every grain. An import
/// swaps in a new tree atomically (readers never see half of one) and bumps <see cref="Version"/>.
/// </summary>
public interface IRegionDirectory
{
    GridCodeScheme Scheme { get; }

    /// <summary>Increases whenever a new tree is installed.</summary>
    long Version { get; }

    /// <summary>The current tree (empty before the first import).</summary>
    RegionTree? Tree { get; }

    RegionNode? Find(string code);

    /// <summary>The grid containing the point, or null; <paramref name="lastGrid"/> is a hint for a worker still inside it.</summary>
    string? LocateGrid(double lat, double lon, string? lastGrid = null);

    /// <summary>The code and all its ancestors, from itself up to the city: the scopes allowed to see something in it.</summary>
    IReadOnlyList<string> ScopesOf(string regionCode);

    /// <summary>Installs a validated tree (after an import or at start-up from storage).</summary>
    void Install(RegionTree tree);
}
