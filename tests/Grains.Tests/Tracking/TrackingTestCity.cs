using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Grains.Tests.Tracking;

/// <summary>
/// A small synthetic city (2 districts × 2 streets × 1 community × 4 grids, no jitter) and a runtime host on
/// fake time with the tracking grains, a recording feed and fake directories.
/// </summary>
internal sealed class TrackingFixture : IAsyncDisposable
{
    public static readonly SyntheticCity City = SyntheticCity.Generate(new SyntheticCityOptions
    {
        Districts = 2, StreetsPerDistrict = 2, CommunitiesPerStreet = 1, GridsPerCommunity = 4, Jitter = 0,
    });

    private TrackingFixture(ActorTestHost host, FakeRegionDirectory regions, FakeWorkerDirectory workers, RecordingLiveFeed feed)
    {
        Host = host;
        Regions = regions;
        Workers = workers;
        Feed = feed;
    }

    public ActorTestHost Host { get; }
    public FakeRegionDirectory Regions { get; }
    public FakeWorkerDirectory Workers { get; }
    public RecordingLiveFeed Feed { get; }
    public FakeTimeProvider Time => Host.Time;
    public IGrainFactory Grains => Host.Grains;
    public RegionTree Tree => City.Tree;

    public static IReadOnlyList<RegionNode> Grids => City.Tree.Grids;

    public static async Task<TrackingFixture> StartAsync(Action<TrackingOptions>? configure = null, Action<FakeWorkerDirectory>? workers = null)
    {
        var regions = new FakeRegionDirectory(City.Tree);
        var directory = new FakeWorkerDirectory();
        workers?.Invoke(directory);
        var feed = new RecordingLiveFeed();
        var host = await ActorTestHost.StartAsync(
            r => r.AddTracking().UseInMemoryStorage(),
            configureServices: s =>
            {
                s.AddSingleton<IRegionDirectory>(regions);
                s.AddSingleton<IWorkerDirectory>(directory);
                s.AddSingleton<ILiveFeed>(feed);
                s.Configure<TrackingOptions>(o =>
                {
                    o.OfflineAfter = TimeSpan.FromSeconds(60);
                    o.PresenceSweepInterval = TimeSpan.FromSeconds(5);
                    configure?.Invoke(o);
                });
            });
        return new TrackingFixture(host, regions, directory, feed);
    }

    public IWorkerGrain Worker(string id) => Grains.GetGrain<IWorkerGrain>(id);

    /// <summary>A point well inside grid <paramref name="index"/>, moved <paramref name="northMetres"/> north of its centre.</summary>
    public static (double Lat, double Lon) PointIn(int index, double northMetres = 0)
    {
        var c = Grids[index].Geometry.InteriorPoint;
        return (c.Y + northMetres / 111_195.0, c.X);
    }

    public PositionFix FixIn(int grid, double northMetres = 0, int? battery = 80, double? acc = 5) =>
        At(PointIn(grid, northMetres), battery, acc);

    public PositionFix At((double Lat, double Lon) p, int? battery = 80, double? acc = 5) =>
        new(p.Lat, p.Lon, acc, 1.2, 90, battery, Time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Sends fixes and waits until the worker has handled them (its mailbox is FIFO).</summary>
    public async Task<WorkerSnapshot> ReportAsync(string worker, params PositionFix[] fixes)
    {
        await Worker(worker).ReportPositions(fixes);
        return await Worker(worker).Get();
    }

    /// <summary>Lets every one-way delta reach the top: asks each level's grains in turn, grids first.</summary>
    public async Task SettleAsync()
    {
        foreach (var level in new[] { RegionLevel.Grid, RegionLevel.Community, RegionLevel.Street, RegionLevel.District, RegionLevel.City })
        {
            foreach (var node in Tree.All().Where(n => n.Level == level))
            {
                if (level == RegionLevel.Grid) await Grains.GetGrain<IGridGrain>(node.Code).GetCounters();
                else await Grains.GetGrain<IRegionGrain>(node.Code).GetCounters();
            }
        }
    }

    public async Task<RegionCountersSnapshot> CountersAsync(string code)
    {
        await SettleAsync();
        return Tree.Find(code)!.Level == RegionLevel.Grid
            ? await Grains.GetGrain<IGridGrain>(code).GetCounters()
            : await Grains.GetGrain<IRegionGrain>(code).GetCounters();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
