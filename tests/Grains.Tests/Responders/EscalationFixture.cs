using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Grains.Tests.Tracking;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Grains.Tests.Responders;

/// <summary>
/// Records what responders' devices (MQTT) and command centres (the feed) would get, in order, and lets a test
/// wait for the n-th of each: the escalation grain works one-way and on reminders, so tests wait on these signals.
/// </summary>
internal sealed class EscalationRecorder : ILiveFeed, IResponderNotifier
{
    private readonly Lock _gate = new();
    private readonly List<(string Responder, EscalationNotice Notice)> _sent = [];
    private readonly List<EscalationUpdate> _updates = [];
    private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> _waiters = [];

    public IReadOnlyList<(string Responder, EscalationNotice Notice)> Sent { get { lock (_gate) return [.. _sent]; } }

    public IReadOnlyList<EscalationUpdate> Updates { get { lock (_gate) return [.. _updates]; } }

    public ValueTask NotifyAsync(string responder, EscalationNotice notice, CancellationToken cancellationToken = default)
    {
        Record(() => _sent.Add((responder, notice)));
        return ValueTask.CompletedTask;
    }

    public void EscalationChanged(EscalationUpdate update) => Record(() => _updates.Add(update));

    /// <summary>Waits until <paramref name="count"/> notices were sent and returns the last of them.</summary>
    public async Task<(string Responder, EscalationNotice Notice)> SentAsync(int count)
    {
        await WaitAsync(() => _sent.Count >= count);
        lock (_gate) return _sent[count - 1];
    }

    /// <summary>Waits for a feed update with <paramref name="action"/> for escalation <paramref name="id"/>.</summary>
    public async Task<EscalationUpdate> UpdateAsync(string id, string action)
    {
        await WaitAsync(() => _updates.Exists(u => u.EscalationId == id && u.Action == action));
        lock (_gate) return _updates.Last(u => u.EscalationId == id && u.Action == action);
    }

    private Task WaitAsync(Func<bool> done)
    {
        lock (_gate)
        {
            if (done()) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((done, signal));
            return signal.Task.Within();
        }
    }

    private void Record(Action add)
    {
        lock (_gate)
        {
            add();
            foreach (var w in _waiters.Where(w => w.Done()).ToList())
            {
                w.Signal.TrySetResult();
                _waiters.Remove(w);
            }
        }
    }

    public void PositionChanged(WorkerPositionUpdate update) { }
    public void WorkerStatusChanged(WorkerStatusUpdate update) { }
    public void GridTransition(GridTransitionUpdate update) { }
    public void AlertChanged(AlertUpdate update) { }
    public void CountersChanged(RegionCountersUpdate update) { }
    public void WarningChanged(WarningUpdate update) { }
    public void CaseChanged(CaseUpdate update) { }
    public void CaseEscalated(CaseEscalationUpdate update) { }
}

/// <summary>
/// A synthetic city (2 districts × 2 streets × 1 community × 2 grids) on fake time with the responder, case and
/// tracking grains, a recorder for devices and feed, and a 2-minute acknowledgement timeout.
/// </summary>
internal sealed class EscalationFixture : IAsyncDisposable
{
    public static readonly TimeSpan AckTimeout = TimeSpan.FromMinutes(2);

    public static readonly SyntheticCity City = SyntheticCity.Generate(new SyntheticCityOptions
    {
        Districts = 2, StreetsPerDistrict = 2, CommunitiesPerStreet = 1, GridsPerCommunity = 2, Jitter = 0,
    });

    public static RegionNode CityNode => City.Tree.Roots[0];
    public static RegionNode District1 => CityNode.Children[0];
    public static RegionNode District2 => CityNode.Children[1];
    public static RegionNode Street11 => District1.Children[0];
    public static RegionNode Grid111 => Street11.Children[0].Children[0];

    public static readonly EscalationActor Admin = new("root", EscalationAuthority.Admin, "");

    public static EscalationActor ResponderActor(string name) => new(name, EscalationAuthority.Responder, null);

    public static EscalationActor Staff(string name, RegionNode scope) => new(name, EscalationAuthority.CommandStaff, scope.Code);

    private EscalationFixture(ActorTestHost host, EscalationRecorder recorder, FakeWorkerDirectory workers)
    {
        Host = host;
        Recorder = recorder;
        Workers = workers;
    }

    public ActorTestHost Host { get; }
    public EscalationRecorder Recorder { get; }
    public FakeWorkerDirectory Workers { get; }
    public FakeTimeProvider Time => Host.Time;
    public IGrainFactory Grains => Host.Grains;

    public static async Task<EscalationFixture> StartAsync(string? sqliteDirectory = null, FakeTimeProvider? time = null, Action<EscalationOptions>? configure = null)
    {
        var recorder = new EscalationRecorder();
        var workers = new FakeWorkerDirectory();
        var host = await ActorTestHost.StartAsync(
            r =>
            {
                r.AddCases().AddGrain<CaseGrain>();
                r.AddTracking();
                r.AddResponders();
                if (sqliteDirectory is null) r.UseInMemoryStorage();
                else r.UseSqliteStorage(configure: o => o.DataDirectory = sqliteDirectory);
            },
            time,
            s =>
            {
                s.AddSingleton<IRegionDirectory>(new FakeRegionDirectory(City.Tree));
                s.AddSingleton<IWorkerDirectory>(workers);
                s.AddSingleton<ILiveFeed>(recorder);
                s.AddSingleton<IResponderNotifier>(recorder);
                s.Configure<EscalationOptions>(o =>
                {
                    o.AckTimeout = AckTimeout;
                    configure?.Invoke(o);
                });
            });
        return new EscalationFixture(host, recorder, workers);
    }

    public Task<OnCallRoster> RosterAsync(RegionNode region, params string[] responders) =>
        Grains.GetGrain<IOnCallRosterGrain>(region.Code).Set(new SetOnCallRoster(responders, "root"));

    public IEscalationGrain Escalation(string id) => Grains.GetGrain<IEscalationGrain>(id);

    /// <summary>Starts an SOS-like escalation in <paramref name="region"/> and returns its id.</summary>
    public async Task<string> StartAsync(RegionNode region, string subjectId = "w1:sos:1")
    {
        var id = EscalationKinds.IdOf(EscalationKinds.Alert, subjectId);
        await Escalation(id).Start(new EscalationSubject(EscalationKinds.Alert, subjectId, "sos", "SOS from worker w1", region.Code, "Critical", 31.2, 121.4, Time.GetUtcNow()));
        return id;
    }

    public Task<EscalationResult> AckAsync(string id, EscalationActor actor, string via = "rest") =>
        Escalation(id).Acknowledge(new AcknowledgeEscalation(actor, via));

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
