using BenchmarkDotNet.Attributes;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Benchmarks.Geo;

/// <summary>
/// Point → grid lookups over the 17,350-grid synthetic city (SyntheticCityOptions.Benchmark).
/// Per-op times are per lookup (OperationsPerInvoke); for the parallel runs lookups/s = 1e9 / (ns/op).
/// Target: ≥ 2M lookups/s on both cores (the terminal position pipeline, DESIGN.md "Edge").
/// </summary>
[MemoryDiagnoser]
public class GridIndexBenchmarks
{
    private const int Batch = 1024;
    private const int ParallelPoints = 1_000_000;

    private GridIndex _index = null!;
    private double[] _lat = null!, _lon = null!;          // uniform random points in the city
    private string?[] _ownGrid = null!;                   // the grid of each point: a hint that hits
    private double[] _walkLat = null!, _walkLon = null!;  // one terminal walking ~10 m per fix
    private int _cursor;

    [GlobalSetup]
    public void Setup()
    {
        var city = SyntheticCity.Generate(SyntheticCityOptions.Benchmark);
        _index = GridIndex.Build(city.Tree);
        var b = city.Bounds;
        var rnd = new Random(42);
        _lat = new double[ParallelPoints];
        _lon = new double[ParallelPoints];
        _ownGrid = new string?[ParallelPoints];
        for (var i = 0; i < ParallelPoints; i++)
        {
            _lat[i] = b.MinY + rnd.NextDouble() * b.Height;
            _lon[i] = b.MinX + rnd.NextDouble() * b.Width;
            _ownGrid[i] = _index.Locate(_lat[i], _lon[i]);
        }

        // ~10 m steps in a random direction, reflected at the city edge.
        const int walk = 65_536;
        _walkLat = new double[walk];
        _walkLon = new double[walk];
        double lat = (b.MinY + b.MaxY) / 2, lon = (b.MinX + b.MaxX) / 2;
        var (metresPerDegLon, metresPerDegLat) = GeoArea.MetresPerDegree(lat);
        double stepLat = 10 / metresPerDegLat, stepLon = 10 / metresPerDegLon;
        for (var i = 0; i < walk; i++)
        {
            var a = rnd.NextDouble() * 2 * Math.PI;
            lat = Math.Clamp(lat + Math.Sin(a) * stepLat, b.MinY, b.MaxY);
            lon = Math.Clamp(lon + Math.Cos(a) * stepLon, b.MinX, b.MaxX);
            _walkLat[i] = lat;
            _walkLon[i] = lon;
        }
    }

    private int NextOffset(int length)
    {
        var start = _cursor;
        _cursor = (_cursor + Batch) % (length - Batch);
        return start;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "Locate, no hint")]
    public int Locate()
    {
        var start = NextOffset(_lat.Length);
        var found = 0;
        for (var i = start; i < start + Batch; i++)
            if (_index.Locate(_lat[i], _lon[i]) is not null) found++;
        return found;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Locate, hint = own grid (fast path)")]
    public int LocateHintHit()
    {
        var start = NextOffset(_lat.Length);
        var found = 0;
        for (var i = start; i < start + Batch; i++)
            if (_index.Locate(_lat[i], _lon[i], _ownGrid[i]) is not null) found++;
        return found;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Locate, hint = another grid (miss)")]
    public int LocateHintMiss()
    {
        var start = NextOffset(_lat.Length);
        var found = 0;
        for (var i = start; i < start + Batch; i++)
            if (_index.Locate(_lat[i], _lon[i], _ownGrid[i + 1]) is not null) found++;
        return found;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Locate, walking terminal, hint = last")]
    public int LocateWalking()
    {
        var start = NextOffset(_walkLat.Length);
        string? last = null;
        var found = 0;
        for (var i = start; i < start + Batch; i++)
        {
            last = _index.Locate(_walkLat[i], _walkLon[i], last);
            if (last is not null) found++;
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Locate, walking terminal, no hint")]
    public int LocateWalkingNoHint()
    {
        var start = NextOffset(_walkLat.Length);
        var found = 0;
        for (var i = start; i < start + Batch; i++)
            if (_index.Locate(_walkLat[i], _walkLon[i]) is not null) found++;
        return found;
    }

    [Benchmark(OperationsPerInvoke = ParallelPoints, Description = "Parallel 1M, no hint")]
    public void ParallelLocate() => RunParallel(useHint: false);

    [Benchmark(OperationsPerInvoke = ParallelPoints, Description = "Parallel 1M, hint = own grid")]
    public void ParallelLocateHint() => RunParallel(useHint: true);

    private void RunParallel(bool useHint)
    {
        // One contiguous slice per worker: per-point delegate calls would measure Parallel.For, not the index.
        var workers = Environment.ProcessorCount;
        var slice = (ParallelPoints + workers - 1) / workers;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var end = Math.Min(ParallelPoints, (w + 1) * slice);
            var found = 0;
            for (var i = w * slice; i < end; i++)
                if ((useHint ? _index.Locate(_lat[i], _lon[i], _ownGrid[i]) : _index.Locate(_lat[i], _lon[i])) is not null) found++;
            GC.KeepAlive(found);
        });
    }
}
