using System.Globalization;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// The one way regions, workers and sensors change: validate the whole file, save it in one
/// transaction, then install the new in-memory snapshot. Imports run one at a time, so a worker
/// file is always checked against the tree that is installed when it is saved.
/// </summary>
/// <remarks>
/// A region import is refused while imported workers or sensors still refer to regions the new tree
/// lacks (re-import them first: their import only needs the current tree), so the directories never
/// point at grids that no longer exist. The REST API and the CLI both call this class.
/// </remarks>
public sealed class DirectoryImportService(
    RegionDirectory regions,
    WorkerDirectory workers,
    IRegionStore regionStore,
    IDirectoryStore directoryStore,
    TimeProvider time)
{
    private const int MaxReferenceErrors = 100;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Loads what was saved into memory (at start-up). Regions first: the other lists refer to them.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (await regionStore.LoadAsync(regions.Scheme, cancellationToken) is { } tree) regions.Install(tree);
            workers.InstallWorkers(await directoryStore.LoadWorkersAsync(cancellationToken));
            workers.InstallSensors(await directoryStore.LoadSensorsAsync(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RegionImportOutcome> ImportRegionsAsync(ReadOnlyMemory<byte> geoJson, IProgress<ImportProgress>? progress = null,
        RegionImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var importer = new GeoJsonRegionImporter(regions.Scheme, options);
            // CPU-bound (parse + geometry checks): keep it off the caller's thread.
            var result = await Task.Run(() => importer.Import(geoJson, progress, cancellationToken), cancellationToken);
            if (result.Tree is not { } tree) return RegionImportOutcome.Failed(result.Errors, time.GetElapsedTime(started));

            var dangling = DanglingReferences(tree);
            if (dangling.Count > 0) return RegionImportOutcome.Failed(dangling, time.GetElapsedTime(started));

            await regionStore.ReplaceAsync(tree, cancellationToken);
            regions.Install(tree);
            return RegionImportOutcome.Installed(tree, regions.Version, time.GetElapsedTime(started));
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<CsvImportOutcome> ImportWorkersAsync(ReadOnlyMemory<byte> csv, CancellationToken cancellationToken = default) =>
        ImportCsvAsync(csv, static (bytes, tree) => WorkerCsvImporter.Import(bytes.Span, tree), directoryStore.ReplaceWorkersAsync, workers.InstallWorkers, cancellationToken);

    public Task<CsvImportOutcome> ImportSensorsAsync(ReadOnlyMemory<byte> csv, CancellationToken cancellationToken = default) =>
        ImportCsvAsync(csv, static (bytes, tree) => SensorCsvImporter.Import(bytes.Span, tree), directoryStore.ReplaceSensorsAsync, workers.InstallSensors, cancellationToken);

    private async Task<CsvImportOutcome> ImportCsvAsync<T>(
        ReadOnlyMemory<byte> csv,
        Func<ReadOnlyMemory<byte>, RegionTree?, CsvImportResult<T>> parse,
        Func<IReadOnlyList<T>, CancellationToken, Task> save,
        Action<IReadOnlyList<T>> install,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = parse(csv, regions.Tree);
            if (result.Rows is not { } rows) return CsvImportOutcome.Failed(result.Errors, time.GetElapsedTime(started));
            await save(rows, cancellationToken);
            install(rows);
            return CsvImportOutcome.Installed(rows.Count, time.GetElapsedTime(started));
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<ImportError> DanglingReferences(RegionTree tree)
    {
        var errors = new List<ImportError>();
        void Add(string code, string field, string message)
        {
            if (errors.Count < MaxReferenceErrors) errors.Add(new ImportError(null, code, field, message));
        }
        foreach (var w in workers.Workers)
        {
            if (tree.Find(w.RegionCode) is null)
                Add(w.RegionCode, "workers.region_code", $"Worker '{w.WorkerId}' belongs to region '{w.RegionCode}', which the new tree lacks; re-import the workers first.");
            foreach (var g in w.AssignedGrids)
            {
                if (tree.Find(g) is null)
                    Add(g, "workers.assigned_grids", $"Worker '{w.WorkerId}' is assigned grid '{g}', which the new tree lacks; re-import the workers first.");
            }
        }
        foreach (var s in workers.Sensors)
        {
            if (tree.Find(s.GridCode) is null)
                Add(s.GridCode, "sensors.grid_code", $"Sensor '{s.SensorId}' is in grid '{s.GridCode}', which the new tree lacks; re-import the sensors first.");
        }
        return errors;
    }
}

/// <summary>What a region import did: the counts per level of the installed tree, or the errors (and nothing changed).</summary>
public sealed record RegionImportOutcome(
    bool Succeeded,
    IReadOnlyList<ImportError> Errors,
    IReadOnlyDictionary<string, int> CountsByLevel,
    long Version,
    TimeSpan Elapsed)
{
    internal static RegionImportOutcome Failed(IReadOnlyList<ImportError> errors, TimeSpan elapsed) =>
        new(false, errors, new Dictionary<string, int>(), 0, elapsed);

    internal static RegionImportOutcome Installed(RegionTree tree, long version, TimeSpan elapsed)
    {
        var counts = Enum.GetValues<RegionLevel>().ToDictionary(static l => l.ToWireName(), static _ => 0);
        foreach (var n in tree.All()) counts[n.Level.ToWireName()]++;
        return new(true, [], counts, version, elapsed);
    }

    public string Summary => Succeeded
        ? string.Join(", ", CountsByLevel.Select(static kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value} {kv.Key}"))) +
          string.Create(CultureInfo.InvariantCulture, $" in {Elapsed.TotalSeconds:0.00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Errors.Count} error(s); nothing changed");
}

/// <summary>What a CSV import did: the number of rows installed, or the errors (and nothing changed).</summary>
public sealed record CsvImportOutcome(bool Succeeded, IReadOnlyList<CsvImportError> Errors, int Count, TimeSpan Elapsed)
{
    internal static CsvImportOutcome Failed(IReadOnlyList<CsvImportError> errors, TimeSpan elapsed) => new(false, errors, 0, elapsed);
    internal static CsvImportOutcome Installed(int count, TimeSpan elapsed) => new(true, [], count, elapsed);
}
