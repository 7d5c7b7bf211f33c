using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>Where the installed region tree is kept between restarts.</summary>
public interface IRegionStore
{
    /// <summary>The saved tree, or null when nothing was ever imported.</summary>
    Task<RegionTree?> LoadAsync(GridCodeScheme scheme, CancellationToken cancellationToken = default);

    /// <summary>Replaces the whole saved tree atomically: afterwards the store holds exactly <paramref name="tree"/>, or (on failure) what it held before.</summary>
    Task ReplaceAsync(RegionTree tree, CancellationToken cancellationToken = default);
}

/// <summary>Keeps the tree in memory (tests, and the host without a database): nothing survives the process.</summary>
public sealed class InMemoryRegionStore : IRegionStore
{
    private RegionTree? _tree;

    public Task<RegionTree?> LoadAsync(GridCodeScheme scheme, CancellationToken cancellationToken = default) =>
        Task.FromResult(Volatile.Read(ref _tree) is { } t && t.Scheme == scheme ? t : null);

    public Task ReplaceAsync(RegionTree tree, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _tree, tree);
        return Task.CompletedTask;
    }
}
