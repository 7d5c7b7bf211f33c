using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;

namespace GridGov.Realtime.Grains.Tests.Tracking;

/// <summary>An in-memory region directory over a fixed tree (the real one is another branch's).</summary>
internal sealed class FakeRegionDirectory : IRegionDirectory
{
    private GridIndex _index;
    private readonly Dictionary<string, IReadOnlyList<string>> _scopes = new(StringComparer.Ordinal);

    public FakeRegionDirectory(RegionTree tree)
    {
        Tree = tree;
        _index = GridIndex.Build(tree);
        Fill(tree);
    }

    public GridCodeScheme Scheme => Tree!.Scheme;
    public long Version { get; private set; } = 1;
    public RegionTree? Tree { get; private set; }

    public RegionNode? Find(string code) => Tree?.Find(code);

    public string? LocateGrid(double lat, double lon, string? lastGrid = null) => _index.Locate(lat, lon, lastGrid);

    public IReadOnlyList<string> ScopesOf(string regionCode) => _scopes.TryGetValue(regionCode, out var s) ? s : [regionCode];

    public void Install(RegionTree tree)
    {
        Tree = tree;
        _index = GridIndex.Build(tree);
        _scopes.Clear();
        Fill(tree);
        Version++;
    }

    private void Fill(RegionTree tree)
    {
        foreach (var node in tree.All())
        {
            var list = new List<string>();
            for (var n = node; n is not null; n = n.Parent) list.Add(n.Code);
            _scopes[node.Code] = list;
        }
    }
}

internal sealed class FakeWorkerDirectory : IWorkerDirectory
{
    public Dictionary<string, WorkerProfile> Workers { get; } = new(StringComparer.Ordinal);

    public WorkerProfile? FindWorker(string workerId) => Workers.GetValueOrDefault(workerId);

    public SensorProfile? FindSensor(string sensorId) => null;

    public void Add(string id, string regionCode, params string[] grids) => Workers[id] = new WorkerProfile(id, id, "grid_worker", regionCode, grids, true);
}

/// <summary>Records everything published, in order.</summary>
internal sealed class RecordingLiveFeed : ILiveFeed
{
    private readonly Lock _gate = new();
    private readonly List<object> _all = [];

    public IReadOnlyList<object> All { get { lock (_gate) return [.. _all]; } }
    public IReadOnlyList<WorkerPositionUpdate> Positions => Of<WorkerPositionUpdate>();
    public IReadOnlyList<WorkerStatusUpdate> Statuses => Of<WorkerStatusUpdate>();
    public IReadOnlyList<GridTransitionUpdate> Transitions => Of<GridTransitionUpdate>();
    public IReadOnlyList<AlertUpdate> Alerts => Of<AlertUpdate>();
    public IReadOnlyList<RegionCountersUpdate> Counters => Of<RegionCountersUpdate>();

    public IReadOnlyList<T> Of<T>() { lock (_gate) return [.. _all.OfType<T>()]; }

    public void Clear() { lock (_gate) _all.Clear(); }

    public void PositionChanged(WorkerPositionUpdate update) => Add(update);
    public void WorkerStatusChanged(WorkerStatusUpdate update) => Add(update);
    public void GridTransition(GridTransitionUpdate update) => Add(update);
    public void AlertChanged(AlertUpdate update) => Add(update);
    public void CountersChanged(RegionCountersUpdate update) => Add(update);
    public void WarningChanged(WarningUpdate update) => Add(update);
    public void CaseChanged(CaseUpdate update) => Add(update);
    public void CaseEscalated(CaseEscalationUpdate update) => Add(update);

    private void Add(object o) { lock (_gate) _all.Add(o); }
}
