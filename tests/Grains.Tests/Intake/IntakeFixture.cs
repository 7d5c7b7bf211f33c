using System.Collections.Concurrent;
using System.Text;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Intake;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tests.Tracking;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Grains.Tests.Intake;

/// <summary>Workers registered by hand, indexed by assigned grid like the real directory.</summary>
internal sealed class AssignedWorkerDirectory : IWorkerDirectory
{
    public Dictionary<string, WorkerProfile> Workers { get; } = new(StringComparer.Ordinal);

    public WorkerProfile? FindWorker(string workerId) => Workers.GetValueOrDefault(workerId);

    public SensorProfile? FindSensor(string sensorId) => null;

    public IReadOnlyList<WorkerProfile> WorkersAssignedTo(string gridCode) =>
        [.. Workers.Values.Where(w => w.AssignedGrids.Contains(gridCode)).OrderBy(w => w.WorkerId, StringComparer.Ordinal)];

    public void Add(string id, string regionCode, string[] grids, bool active = true, string role = WorkerRoles.GridWorker) =>
        Workers[id] = new WorkerProfile(id, id, role, regionCode, grids, active);
}

/// <summary>Records published tasks in order.</summary>
internal sealed class RecordingTaskPublisher : ICaseTaskPublisher
{
    public ConcurrentQueue<(string WorkerId, CaseTask Task)> Sent { get; } = new();

    public ValueTask PublishAsync(string workerId, CaseTask task, CancellationToken cancellationToken = default)
    {
        Sent.Enqueue((workerId, task));
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A runtime on fake time (Monday 2026-03-02 09:00 Beijing) with cases, tracking and intake over the tracking test
/// city, a directory with workers assigned to grids and a recording task publisher.
/// </summary>
internal sealed class IntakeFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private IntakeFixture(ActorTestHost host, AssignedWorkerDirectory workers, RecordingTaskPublisher tasks)
    {
        Host = host;
        Workers = workers;
        Tasks = tasks;
    }

    public ActorTestHost Host { get; }
    public AssignedWorkerDirectory Workers { get; }
    public RecordingTaskPublisher Tasks { get; }
    public FakeTimeProvider Time => Host.Time;
    public IGrainFactory Grains => Host.Grains;
    public ICaseEventStore Cases => Host.Services.GetRequiredService<ICaseEventStore>();
    public FieldReportIntake FieldReports => Host.Services.GetRequiredService<FieldReportIntake>();

    public static string Grid(int index) => TrackingFixture.Grids[index].Code;

    /// <summary>The region code of the community the test city's grids 0–3 belong to.</summary>
    public static string Community => TrackingFixture.Grids[0].Parent!.Code;

    public static async Task<IntakeFixture> StartAsync(Action<AssignedWorkerDirectory>? workers = null)
    {
        var directory = new AssignedWorkerDirectory();
        workers?.Invoke(directory);
        var tasks = new RecordingTaskPublisher();
        var host = await ActorTestHost.StartAsync(
            r =>
            {
                r.AddGrainsFromAssembly(typeof(GrainsAssembly).Assembly).AddJsonContext(GrainsJsonContext.Default);
                r.UseInMemoryStorage();
                r.AddCases().AddTracking().AddCaseIntake();
            },
            new FakeTimeProvider(Start),
            s =>
            {
                s.AddSingleton<IRegionDirectory>(new FakeRegionDirectory(TrackingFixture.City.Tree));
                s.AddSingleton<IWorkerDirectory>(directory);
                s.AddSingleton<ILiveFeed>(new RecordingLiveFeed());
                s.AddSingleton<ICaseTaskPublisher>(tasks);
            });
        return new IntakeFixture(host, directory, tasks);
    }

    /// <summary>Puts a worker on duty (or not) at a point <paramref name="northMetres"/> north of grid <paramref name="grid"/>'s centre.</summary>
    public async Task PlaceAsync(string workerId, int grid, double northMetres, bool onDuty = true)
    {
        var worker = Grains.GetGrain<IWorkerGrain>(workerId);
        await worker.SetDuty(onDuty);
        var (lat, lon) = TrackingFixture.PointIn(grid, northMetres);
        await worker.ReportPositions([new PositionFix(lat, lon, 5, 0, 0, 80, Time.GetUtcNow().ToUnixTimeMilliseconds())]);
        var snapshot = await worker.Get();
        Assert.Equal(onDuty ? WorkerStatus.OnDuty : WorkerStatus.OffDuty, snapshot.Status);
    }

    public static CaseIntakeRequest CitizenReport(int grid = 0, double northMetres = 0, string description = "路边垃圾堆积")
    {
        var (lat, lon) = TrackingFixture.PointIn(grid, northMetres);
        return new CaseIntakeRequest
        {
            Actor = new CaseActor("app-12345", CaseRoles.Integration, ""),
            Kind = CaseKind.Event,
            CategoryCode = "0102",
            Urgency = Urgency.Normal,
            RegionCode = Grid(grid),
            Description = description,
            Latitude = lat,
            Longitude = lon,
            Attachments = ["https://media.example/citizen/1.jpg"],
            DispatchVerification = true,
        };
    }

    public Task<CaseIntakeResult> SubmitAsync(CaseIntakeRequest request, string requestId = "r1") =>
        Grains.GetGrain<ICaseIntakeGrain>(CaseIntakeKeys.For(IntakeChannels.Citizen, request.Actor.UserName, requestId)).Submit(request);

    public async Task<IReadOnlyList<CaseAuditEntry>> HistoryAsync(string caseId) => await Grains.GetGrain<ICaseGrain>(caseId).History();

    public ValueTask<FieldReportResult> ReportAsync(string workerId, string json) => FieldReports.HandleAsync(workerId, Encoding.UTF8.GetBytes(json));

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
