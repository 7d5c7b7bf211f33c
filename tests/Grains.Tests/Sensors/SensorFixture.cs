using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Sensors;
using GridGov.Realtime.Grains.Tests.Tracking;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Grains.Tests.Sensors;

/// <summary>Sensors registered by hand.</summary>
internal sealed class FakeSensorDirectory : IWorkerDirectory
{
    public Dictionary<string, SensorProfile> Sensors { get; } = new(StringComparer.Ordinal);

    public WorkerProfile? FindWorker(string workerId) => null;

    public SensorProfile? FindSensor(string sensorId) => Sensors.GetValueOrDefault(sensorId);
}

/// <summary>A runtime on fake time (Monday 2026-03-02 09:00 Beijing) with cases, tracking and sensors, one registered sensor "s1" and an inactive "s-off".</summary>
internal sealed class SensorFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private SensorFixture(ActorTestHost host, FakeSensorDirectory sensors, RecordingLiveFeed feed, FakeRegionDirectory regions)
    {
        Host = host;
        Sensors = sensors;
        Feed = feed;
        Regions = regions;
    }

    public ActorTestHost Host { get; }
    public FakeSensorDirectory Sensors { get; }
    public RecordingLiveFeed Feed { get; }
    public FakeRegionDirectory Regions { get; }
    public FakeTimeProvider Time => Host.Time;
    public IGrainFactory Grains => Host.Grains;
    public ICaseEventStore Cases => Host.Services.GetRequiredService<ICaseEventStore>();

    public static string Grid => TrackingFixture.Grids[0].Code;

    public static async Task<SensorFixture> StartAsync(Action<SensorEventRulesOptions>? configure = null, string? sqliteDirectory = null, DateTimeOffset? start = null)
    {
        var regions = new FakeRegionDirectory(TrackingFixture.City.Tree);
        var sensors = new FakeSensorDirectory();
        var (lat, lon) = TrackingFixture.PointIn(0);
        sensors.Sensors["s1"] = new SensorProfile("s1", "manhole", Grid, lat, lon, true);
        sensors.Sensors["s-off"] = new SensorProfile("s-off", "camera", Grid, lat, lon, false);
        var feed = new RecordingLiveFeed();
        var host = await ActorTestHost.StartAsync(
            r =>
            {
                r.AddGrainsFromAssembly(typeof(GrainsAssembly).Assembly).AddJsonContext(GrainsJsonContext.Default);
                if (sqliteDirectory is null) r.UseInMemoryStorage();
                else r.UseSqliteStorage(configure: o => o.DataDirectory = sqliteDirectory);
                r.AddCases().AddTracking().AddSensors();
            },
            new FakeTimeProvider(start ?? Start),
            s =>
            {
                s.AddSingleton<IRegionDirectory>(regions);
                s.AddSingleton<IWorkerDirectory>(sensors);
                s.AddSingleton<ILiveFeed>(feed);
                if (configure is not null) s.Configure(configure);
            });
        return new SensorFixture(host, sensors, feed, regions);
    }

    public ISensorGrain Sensor(string id = "s1") => Grains.GetGrain<ISensorGrain>(id);

    public SensorEvent Event(string type = SensorEventTypes.ManholeCoverOpen, int severity = 4, long? ts = null, params string[] media) =>
        new(type, severity, ts ?? Time.GetUtcNow().ToUnixTimeMilliseconds(), null, null, media);

    /// <summary>Sends the event one-way and waits until the grain handled it (its mailbox is FIFO).</summary>
    public async Task<SensorSnapshot> ReportAsync(SensorEvent e, string id = "s1")
    {
        await Sensor(id).ReportEvent(e);
        return await Sensor(id).Get();
    }

    public async Task<SensorSnapshot> HeartbeatAsync(string id = "s1", string? status = "ok")
    {
        await Sensor(id).Heartbeat(new SensorHeartbeat(Time.GetUtcNow().ToUnixTimeMilliseconds(), status));
        return await Sensor(id).Get();
    }

    public async Task<CaseView> CaseAsync(string caseId) =>
        await Grains.GetGrain<ICaseGrain>(caseId).Get() ?? throw new InvalidOperationException($"No case {caseId}.");

    public async Task<IReadOnlyList<CaseAuditEntry>> HistoryAsync(string caseId) => await Grains.GetGrain<ICaseGrain>(caseId).History();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
