using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Silo.Tracking;

/// <summary>
/// Stand-ins used only until the region/worker directory is composed in (registered with TryAdd): no
/// grids and no workers, so positions are tracked without grids and the REST API answers 404.
/// </summary>
internal sealed class UnconfiguredRegionDirectory : IRegionDirectory
{
    public GridCodeScheme Scheme => GridCodeScheme.CjT213;
    public long Version => 0;
    public RegionTree? Tree => null;
    public RegionNode? Find(string code) => null;
    public string? LocateGrid(double lat, double lon, string? lastGrid = null) => null;
    public IReadOnlyList<string> ScopesOf(string regionCode) => [regionCode];
    public void Install(RegionTree tree) => throw new NotSupportedException("No region directory is composed into this host.");
}

internal sealed class UnconfiguredWorkerDirectory : IWorkerDirectory
{
    public WorkerProfile? FindWorker(string workerId) => null;
    public SensorProfile? FindSensor(string sensorId) => null;
}
