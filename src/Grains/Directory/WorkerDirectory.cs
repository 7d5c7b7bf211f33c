namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// Workers and sensors in memory: one immutable snapshot (dictionaries by id plus id-ordered lists
/// for listing) replaced by a single reference swap after an import or at start-up, so grain
/// look-ups never touch the database and never see half an import.
/// </summary>
public sealed class WorkerDirectory : IWorkerDirectory
{
    private Snapshot<WorkerProfile> _workers = Snapshot<WorkerProfile>.Empty;
    private Snapshot<SensorProfile> _sensors = Snapshot<SensorProfile>.Empty;
    private Dictionary<string, WorkerProfile[]> _byGrid = new(StringComparer.Ordinal);

    public WorkerProfile? FindWorker(string workerId) => Volatile.Read(ref _workers).Find(workerId);

    public SensorProfile? FindSensor(string sensorId) => Volatile.Read(ref _sensors).Find(sensorId);

    public IReadOnlyList<WorkerProfile> WorkersAssignedTo(string gridCode) =>
        Volatile.Read(ref _byGrid).GetValueOrDefault(gridCode) ?? [];

    /// <summary>Every worker, ordered by id.</summary>
    public IReadOnlyList<WorkerProfile> Workers => Volatile.Read(ref _workers).Items;

    /// <summary>Every sensor, ordered by id.</summary>
    public IReadOnlyList<SensorProfile> Sensors => Volatile.Read(ref _sensors).Items;

    public void InstallWorkers(IEnumerable<WorkerProfile> workers)
    {
        var snapshot = new Snapshot<WorkerProfile>(workers, static w => w.WorkerId);
        // Built from the id-ordered list, so each grid's workers are ordered by id too.
        var byGrid = snapshot.Items
            .SelectMany(w => w.AssignedGrids.Distinct(StringComparer.Ordinal).Select(g => (Grid: g, Worker: w)))
            .GroupBy(p => p.Grid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Worker).ToArray(), StringComparer.Ordinal);
        // Two writes: a reader between them may see the new workers with the old grid index, which only
        // changes which fallback verifier a single case gets.
        Volatile.Write(ref _workers, snapshot);
        Volatile.Write(ref _byGrid, byGrid);
    }

    public void InstallSensors(IEnumerable<SensorProfile> sensors) =>
        Volatile.Write(ref _sensors, new Snapshot<SensorProfile>(sensors, static s => s.SensorId));

    private sealed class Snapshot<T> where T : class
    {
        public static readonly Snapshot<T> Empty = new([], static _ => "");
        private readonly Dictionary<string, T> _byId;

        public Snapshot(IEnumerable<T> items, Func<T, string> id)
        {
            var sorted = items.OrderBy(id, StringComparer.Ordinal).ToArray();
            _byId = sorted.ToDictionary(id, StringComparer.Ordinal);
            Items = sorted;
        }

        public IReadOnlyList<T> Items { get; }

        public T? Find(string id) => _byId.GetValueOrDefault(id);
    }
}
