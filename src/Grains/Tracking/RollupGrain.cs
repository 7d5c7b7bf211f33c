using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>
/// What grid and region grains share: their counters, the delta sent to the parent region on every
/// change (one-way, so the chain grid → community → street → district → city never waits), and a
/// publish timer that sends <see cref="ILiveFeed.CountersChanged"/> at most once per interval and only
/// while something changed. Counters live in memory; a keep-alive timer holds a non-empty roll-up
/// active so idle collection cannot drop counts that no message will rebuild. Case counts (open, overdue,
/// escalated) are not kept here but read from the case read model (<see cref="ILiveCaseCounts"/>) when a case
/// of the region changed (<see cref="CasesChanged"/>) and on the first publish after activation, so a restart
/// loses none of them.
/// </summary>
public abstract class RollupGrain(IRegionDirectory regions, ILiveFeed feed, IOptions<TrackingOptions> options, IOptions<ActorRuntimeOptions> runtime, ILiveCaseCounts? caseCounts) : Grain
{
    private readonly TimeSpan _publishInterval = options.Value.CountersPublishInterval;
    private readonly TimeSpan _keepAlivePeriod = runtime.Value.IdleTimeout / 3;
    private IGrainTimer? _publishTimer;
    private IGrainTimer? _keepAliveTimer;
    private bool _dirty;
    private long _treeVersion = -1;
    private string? _parent;
    private IReadOnlyList<string> _scopes = [];
    private bool _casesStale = true;
    private LiveCaseCounts _cases = LiveCaseCounts.Zero;

    protected int Inside { get; private set; }
    protected int Online { get; private set; }
    protected int OnDuty { get; private set; }
    protected int Alerts { get; private set; }

    protected IRegionDirectory Regions => regions;

    public Task<RegionCountersSnapshot> GetCounters() => Task.FromResult(Snapshot());

    protected RegionCountersSnapshot Snapshot() => new(GetPrimaryKeyString(), Inside, Online, OnDuty, Alerts);

    /// <summary>Adds a change to this level and passes it up.</summary>
    protected void Apply(int inside, int online, int onDuty, int alerts)
    {
        if (inside == 0 && online == 0 && onDuty == 0 && alerts == 0) return;
        Inside += inside;
        Online += online;
        OnDuty += onDuty;
        Alerts += alerts;
        RefreshTree();
        if (_parent is not null) GrainFactory.GetGrain<IRegionGrain>(_parent).ApplyDelta(new CountersDelta(inside, online, onDuty, alerts));
        _dirty = true;
        _publishTimer ??= RegisterGrainTimer(PublishAsync, _publishInterval, _publishInterval);
        var empty = Inside == 0 && Online == 0 && OnDuty == 0 && Alerts == 0;
        if (!empty) _keepAliveTimer ??= RegisterGrainTimer(static _ => Task.CompletedTask, _keepAlivePeriod, _keepAlivePeriod, keepAlive: true);
        else if (_keepAliveTimer is not null)
        {
            _keepAliveTimer.Dispose();
            _keepAliveTimer = null;
        }
    }

    /// <summary>A case of this region opened, closed, became overdue or was escalated: re-read the counts on the next publish.</summary>
    public Task CasesChanged()
    {
        _casesStale = true;
        _dirty = true;
        _publishTimer ??= RegisterGrainTimer(PublishAsync, _publishInterval, _publishInterval);
        return Task.CompletedTask;
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            _publishTimer?.Dispose();
            _publishTimer = null;
            return;
        }
        _dirty = false;
        RefreshTree();
        if (_casesStale && caseCounts is not null)
        {
            _casesStale = false;
            _cases = await caseCounts.CountAsync(GetPrimaryKeyString(), cancellationToken);
        }
        feed.CountersChanged(new RegionCountersUpdate(GetPrimaryKeyString(), _scopes, Inside, Online, OnDuty, Alerts,
            _cases.Open, _cases.Overdue, _cases.Escalated, TimeProvider.GetUtcNow()));
    }

    private void RefreshTree()
    {
        var version = regions.Version;
        if (version == _treeVersion) return;
        _treeVersion = version;
        var code = GetPrimaryKeyString();
        _parent = regions.Find(code)?.ParentCode;
        _scopes = regions.Find(code) is null ? [code] : regions.ScopesOf(code);
    }
}

/// <summary>A unit grid: the set of workers inside and alerts located here; counts derived from them.</summary>
public sealed class GridGrain(IRegionDirectory regions, ILiveFeed feed, IOptions<TrackingOptions> options, IOptions<ActorRuntimeOptions> runtime, ILiveCaseCounts? caseCounts = null)
    : RollupGrain(regions, feed, options, runtime, caseCounts), IGridGrain
{
    private readonly Dictionary<string, (bool Online, bool OnDuty)> _workers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _alerts = new(StringComparer.Ordinal);

    public Task UpdateWorker(WorkerPresence presence)
    {
        var had = _workers.TryGetValue(presence.WorkerId, out var old);
        var (inside0, online0, duty0) = had ? (1, old.Online ? 1 : 0, old.Online && old.OnDuty ? 1 : 0) : (0, 0, 0);
        int inside1 = 0, online1 = 0, duty1 = 0;
        if (presence.Present)
        {
            _workers[presence.WorkerId] = (presence.Online, presence.OnDuty);
            (inside1, online1, duty1) = (1, presence.Online ? 1 : 0, presence.Online && presence.OnDuty ? 1 : 0);
        }
        else if (had)
        {
            _workers.Remove(presence.WorkerId);
        }
        Apply(inside1 - inside0, online1 - online0, duty1 - duty0, 0);
        return Task.CompletedTask;
    }

    public Task UpdateAlert(AlertMark alert)
    {
        if (alert.Active ? _alerts.Add(alert.AlertId) : _alerts.Remove(alert.AlertId)) Apply(0, 0, 0, alert.Active ? 1 : -1);
        return Task.CompletedTask;
    }

    public Task<GridSnapshot> Get() => Task.FromResult(new GridSnapshot(
        GetPrimaryKeyString(),
        [.. _workers.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => new GridWorker(w.Key, w.Value.Online, w.Value.OnDuty))],
        [.. _alerts.Order(StringComparer.Ordinal)],
        Snapshot()));
}

/// <summary>A community, street, district or city: the sum of its children's deltas plus alerts attributed to it directly.</summary>
public sealed class RegionGrain(IRegionDirectory regions, ILiveFeed feed, IOptions<TrackingOptions> options, IOptions<ActorRuntimeOptions> runtime, ILiveCaseCounts? caseCounts = null)
    : RollupGrain(regions, feed, options, runtime, caseCounts), IRegionGrain
{
    private readonly HashSet<string> _alerts = new(StringComparer.Ordinal);

    public Task ApplyDelta(CountersDelta delta)
    {
        Apply(delta.Inside, delta.Online, delta.OnDuty, delta.Alerts);
        return Task.CompletedTask;
    }

    public Task UpdateAlert(AlertMark alert)
    {
        if (alert.Active ? _alerts.Add(alert.AlertId) : _alerts.Remove(alert.AlertId)) Apply(0, 0, 0, alert.Active ? 1 : -1);
        return Task.CompletedTask;
    }
}
