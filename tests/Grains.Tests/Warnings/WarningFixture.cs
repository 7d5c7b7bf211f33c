using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tests.Tracking;
using GridGov.Realtime.Grains.Warnings;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Grains.Tests.Warnings;

/// <summary>Records what would go out as retained MQTT messages, in order.</summary>
internal sealed class RecordingWarningPublisher : IWarningPublisher
{
    private readonly Lock _gate = new();
    private readonly List<(string Code, RegionWarningSignal? Signal)> _published = [];

    public IReadOnlyList<(string Code, RegionWarningSignal? Signal)> Published { get { lock (_gate) return [.. _published]; } }

    public ValueTask PublishAsync(string regionCode, RegionWarningSignal? current, CancellationToken cancellationToken = default)
    {
        lock (_gate) _published.Add((regionCode, current));
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A synthetic city (2 districts × 2 streets × 1 community × 2 grids) and a runtime on fake time with
/// the warning grain, a recording feed and publisher. Users: a city, two district and a street command
/// staff, a grid worker and an admin.
/// </summary>
internal sealed class WarningFixture : IAsyncDisposable
{
    public static readonly SyntheticCity City = SyntheticCity.Generate(new SyntheticCityOptions
    {
        Districts = 2, StreetsPerDistrict = 2, CommunitiesPerStreet = 1, GridsPerCommunity = 2, Jitter = 0,
    });

    public static RegionNode CityNode => City.Tree.Roots[0];
    public static RegionNode District1 => CityNode.Children[0];
    public static RegionNode District2 => CityNode.Children[1];
    public static RegionNode Street11 => District1.Children[0];
    public static RegionNode Street12 => District1.Children[1];
    public static RegionNode Grid111 => Street11.Children[0].Children[0];

    public static readonly WarningActor CityStaff = new("city", "command_staff", CityNode.Code);
    public static readonly WarningActor District1Staff = new("d1", "command_staff", District1.Code);
    public static readonly WarningActor District1Deputy = new("d1b", "command_staff", District1.Code);
    public static readonly WarningActor District2Staff = new("d2", "command_staff", District2.Code);
    public static readonly WarningActor Street11Staff = new("s11", "command_staff", Street11.Code);
    public static readonly WarningActor Worker = new("w", "grid_worker", District1.Code);
    public static readonly WarningActor Admin = new("root", "admin", "");

    private WarningFixture(ActorTestHost host, RecordingLiveFeed feed, RecordingWarningPublisher publisher)
    {
        Host = host;
        Feed = feed;
        Publisher = publisher;
    }

    public ActorTestHost Host { get; }
    public RecordingLiveFeed Feed { get; }
    public RecordingWarningPublisher Publisher { get; }
    public FakeTimeProvider Time => Host.Time;
    public IGrainFactory Grains => Host.Grains;
    public WarningLevels Levels => Host.Services.GetRequiredService<WarningLevels>();

    public IWarningGrain Region(RegionNode node) => Grains.GetGrain<IWarningGrain>(node.Code);

    public static async Task<WarningFixture> StartAsync(Action<WarningOptions>? configure = null, string? sqliteDirectory = null)
    {
        var feed = new RecordingLiveFeed();
        var publisher = new RecordingWarningPublisher();
        var host = await ActorTestHost.StartAsync(
            r =>
            {
                r.AddWarnings();
                if (sqliteDirectory is null) r.UseInMemoryStorage();
                else r.UseSqliteStorage(configure: o => o.DataDirectory = sqliteDirectory);
            },
            configureServices: s =>
            {
                s.AddSingleton<IRegionDirectory>(new FakeRegionDirectory(City.Tree));
                s.AddSingleton<ILiveFeed>(feed);
                s.AddSingleton<IWarningPublisher>(publisher);
                if (configure is not null) s.Configure(configure);
            });
        // The start-up republish runs in the background; let it finish so it cannot interleave with the
        // test's own commands in the publish log.
        var republisher = host.Services.GetService<WarningRepublisher>();
        if (republisher is not null) await republisher.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        return new WarningFixture(host, feed, publisher);
    }

    private int _requests;

    public string NextRequest() => $"r{Interlocked.Increment(ref _requests)}";

    public Task<WarningResult> IssueAsync(RegionNode region, WarningActor actor, WarningLevel level, string reason = "storm") =>
        Region(region).Issue(new IssueWarning(NextRequest(), actor, level, reason));

    public Task<WarningResult> ChangeAsync(RegionNode region, WarningActor actor, string id, WarningLevel level, string reason = "update") =>
        Region(region).Change(new ChangeWarning(NextRequest(), actor, id, level, reason));

    public Task<WarningResult> LiftAsync(RegionNode region, WarningActor actor, string id, string reason = "over") =>
        Region(region).Lift(new LiftWarning(NextRequest(), actor, id, reason));

    public async Task<WarningLevel?> EffectiveAsync(RegionNode region) => (await Levels.GetEffectiveAsync(region.Code))!.Level;

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
