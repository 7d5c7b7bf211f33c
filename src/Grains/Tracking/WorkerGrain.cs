using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>
/// One grid worker. Filters the fix stream (<see cref="FixFilter"/>), locates the current grid, applies
/// the rules (offline, immobile, outside the assigned grids, SOS, low battery) and tells the live feed
/// and the grid grains what changed. Grid grains hear about presence and alerts one-way, so the
/// worker never waits on anything above it.
/// </summary>
/// <remarks>
/// Hot path: a batch of fixes costs one <see cref="WorkerPositionUpdate"/> (the latest accepted fix; the
/// feed keeps only the latest per worker anyway) and no other allocation unless the grid, status or an
/// alert changes. Rule clocks: offline uses the server clock (silence is measured where the silence is
/// observed); immobile and outside-dwell use fix timestamps, so a terminal uploading a buffered batch is
/// judged on when it was where. Only duty is persisted; the rest is rebuilt from the next fixes.
/// </remarks>
public sealed class WorkerGrain(
    [PersistentState("worker")] IPersistentState<WorkerState> state,
    IRegionDirectory regions,
    IWorkerDirectory workers,
    ILiveFeed feed,
    IOptions<TrackingOptions> options,
    TrackingMetrics metrics,
    IEnumerable<IAlertListener> alertListeners) : Grain, IWorkerGrain
{
    private const int AlertKinds = 5;
    private static readonly string[] AlertTypeNames =
        [WorkerAlertTypes.Offline, WorkerAlertTypes.Immobile, WorkerAlertTypes.OutsideAssignedGrids, WorkerAlertTypes.Sos, WorkerAlertTypes.LowBattery];
    private static readonly AlertSeverity[] AlertSeverities =
        [AlertSeverity.Warning, AlertSeverity.Warning, AlertSeverity.Warning, AlertSeverity.Critical, AlertSeverity.Info];

    private readonly TrackingOptions _o = options.Value;
    private readonly WorkerAlert?[] _alerts = new WorkerAlert?[AlertKinds];
    private readonly IAlertListener[] _alertListeners = [.. alertListeners];
    private FixFilter _filter;
    private string _id = "";
    private string? _regionCode;
    private HashSet<string>? _assigned;
    private long _treeVersion = -1;

    private string? _grid;
    private IReadOnlyList<string> _scopes = [];
    private bool _online;
    private bool _sos;
    private DateTimeOffset? _lastReportAt;
    private WorkerStatus _publishedStatus = WorkerStatus.Offline;

    private bool _hasAnchor;
    private PositionFix _anchor;
    private long? _outsideSince;

    // What the grid grain was last told.
    private string? _sentGrid;
    private bool _sentOnline;
    private bool _sentDuty;

    private IGrainTimer? _sweep;

    private bool OnDuty => state.State.OnDuty;

    private WorkerStatus Status => _sos ? WorkerStatus.Sos : !_online ? WorkerStatus.Offline : OnDuty ? WorkerStatus.OnDuty : WorkerStatus.OffDuty;

    private enum AlertKind { Offline, Immobile, Outside, Sos, LowBattery }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = GetPrimaryKeyString();
        _filter = new FixFilter(_o.MaxSpeedMetresPerSecond, _o.ImplausibleResetCount);
        var profile = workers.FindWorker(_id);
        _regionCode = profile?.RegionCode;
        if (profile is { AssignedGrids.Count: > 0 }) _assigned = new HashSet<string>(profile.AssignedGrids, StringComparer.Ordinal);
        RefreshScopes();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Leave the roll-ups as they were before this activation: nothing will correct them later.
        if (_sentGrid is not null) GrainFactory.GetGrain<IGridGrain>(_sentGrid).UpdateWorker(new WorkerPresence(_id, false, false, false));
        for (var i = 0; i < AlertKinds; i++)
        {
            if (_alerts[i] is { } a) TellAlert(a, active: false);
        }
        return Task.CompletedTask;
    }

    public Task ReportPositions(PositionFix[] fixes)
    {
        MarkContact();
        RefreshScopes();
        var accepted = 0;
        var last = default(PositionFix);
        foreach (var fix in fixes)
        {
            var verdict = _filter.Check(fix);
            if (verdict != FixVerdict.Accepted)
            {
                metrics.FixDropped(verdict);
                continue;
            }
            accepted++;
            last = fix;
            var grid = regions.LocateGrid(fix.Lat, fix.Lon, _grid);
            if (!string.Equals(grid, _grid, StringComparison.Ordinal)) MoveTo(grid, fix.Time);
            ApplyFixRules(fix);
        }
        if (accepted > 0)
        {
            metrics.FixesAccepted(accepted);
            feed.PositionChanged(new WorkerPositionUpdate(_id, _grid, _scopes, last.Lat, last.Lon, last.Acc, last.Spd, last.Hdg, last.Bat, Status, last.Time));
        }
        SyncPresence();
        PublishStatus();
        return Task.CompletedTask;
    }

    public Task ReportSos(SosSignal sos)
    {
        MarkContact();
        RefreshScopes();
        _sos = true;
        var grid = regions.LocateGrid(sos.Lat, sos.Lon, _grid);
        if (!string.Equals(grid, _grid, StringComparison.Ordinal)) MoveTo(grid, sos.Time);
        Raise(AlertKind.Sos, sos.Note ?? "SOS from terminal", sos.Lat, sos.Lon);
        SyncPresence();
        PublishStatus();
        return Task.CompletedTask;
    }

    public Task ConnectionLost()
    {
        if (_online) GoOffline();
        return Task.CompletedTask;
    }

    public async Task SetDuty(bool onDuty)
    {
        if (OnDuty == onDuty) return;
        state.State.OnDuty = onDuty;
        await state.WriteStateAsync();
        _hasAnchor = false;
        _outsideSince = null;
        if (!onDuty)
        {
            Clear(AlertKind.Offline);
            Clear(AlertKind.Immobile);
            Clear(AlertKind.Outside);
        }
        else if (!_online && _lastReportAt is not null)
        {
            Raise(AlertKind.Offline, "Terminal not reporting", null, null);
        }
        SyncPresence();
        PublishStatus();
        UpdateSweep();
    }

    public Task ResolveSos()
    {
        _sos = false;
        Clear(AlertKind.Sos);
        PublishStatus();
        UpdateSweep();
        return Task.CompletedTask;
    }

    public Task<WorkerSnapshot> Get()
    {
        var alerts = new List<WorkerAlert>(AlertKinds);
        foreach (var a in _alerts)
        {
            if (a is not null) alerts.Add(a);
        }
        return Task.FromResult(new WorkerSnapshot(_id, Status, OnDuty, _online, _grid, _filter.HasLast ? _filter.Last : null, _lastReportAt, alerts));
    }

    private void MarkContact()
    {
        _lastReportAt = TimeProvider.GetUtcNow();
        if (_online) return;
        _online = true;
        Clear(AlertKind.Offline);
        UpdateSweep();
    }

    private void GoOffline()
    {
        _online = false;
        _hasAnchor = false;
        Clear(AlertKind.Immobile);
        if (OnDuty) Raise(AlertKind.Offline, "Terminal not reporting", null, null);
        SyncPresence();
        PublishStatus();
        UpdateSweep();
    }

    /// <summary>The presence sweep runs while the worker is online or has an alert (and keeps the activation alive meanwhile).</summary>
    private void UpdateSweep()
    {
        var needed = _online || HasAlerts();
        if (needed && _sweep is null)
        {
            _sweep = RegisterGrainTimer(SweepAsync, _o.PresenceSweepInterval, _o.PresenceSweepInterval, keepAlive: true);
        }
        else if (!needed && _sweep is not null)
        {
            _sweep.Dispose();
            _sweep = null;
        }
    }

    private Task SweepAsync(CancellationToken cancellationToken)
    {
        if (_online && _lastReportAt is { } last && TimeProvider.GetUtcNow() - last >= _o.OfflineAfter) GoOffline();
        else UpdateSweep();
        return Task.CompletedTask;
    }

    private void ApplyFixRules(in PositionFix fix)
    {
        if (fix.Bat is { } battery)
        {
            if (battery < _o.LowBatteryPercent) Raise(AlertKind.LowBattery, $"Battery {battery}%", fix.Lat, fix.Lon);
            else if (battery >= _o.LowBatteryPercent + _o.LowBatteryHysteresis) Clear(AlertKind.LowBattery);
        }
        if (!OnDuty) return;

        if (!_hasAnchor || Haversine.Metres(_anchor.Lat, _anchor.Lon, fix.Lat, fix.Lon) > _o.ImmobileRadiusMetres)
        {
            _anchor = fix;
            _hasAnchor = true;
            Clear(AlertKind.Immobile);
        }
        else if (fix.Ts - _anchor.Ts >= (long)_o.ImmobileAfter.TotalMilliseconds)
        {
            Raise(AlertKind.Immobile, "No movement while on duty", fix.Lat, fix.Lon);
        }

        if (_assigned is null || (_grid is not null && _assigned.Contains(_grid)))
        {
            _outsideSince = null;
            Clear(AlertKind.Outside);
        }
        else
        {
            _outsideSince ??= fix.Ts;
            if (fix.Ts - _outsideSince.Value >= (long)_o.OutsideDwell.TotalMilliseconds) Raise(AlertKind.Outside, "Outside the assigned grids", fix.Lat, fix.Lon);
        }
    }

    private void MoveTo(string? grid, DateTimeOffset at)
    {
        var from = _grid;
        var fromScopes = _scopes;
        _grid = grid;
        _scopes = ScopesFor(grid);
        feed.GridTransition(new GridTransitionUpdate(_id, from, grid, Union(fromScopes, _scopes), at));
        SyncPresence();
    }

    /// <summary>Tells the grid grains what changed in this worker's presence since they were last told.</summary>
    private void SyncPresence()
    {
        var online = _online;
        var duty = OnDuty;
        if (!string.Equals(_sentGrid, _grid, StringComparison.Ordinal))
        {
            if (_sentGrid is not null) GrainFactory.GetGrain<IGridGrain>(_sentGrid).UpdateWorker(new WorkerPresence(_id, false, false, false));
            if (_grid is not null) GrainFactory.GetGrain<IGridGrain>(_grid).UpdateWorker(new WorkerPresence(_id, true, online, duty));
        }
        else if (_grid is not null && (online != _sentOnline || duty != _sentDuty))
        {
            GrainFactory.GetGrain<IGridGrain>(_grid).UpdateWorker(new WorkerPresence(_id, true, online, duty));
        }
        _sentGrid = _grid;
        _sentOnline = online;
        _sentDuty = duty;
    }

    private void PublishStatus()
    {
        var status = Status;
        if (status == _publishedStatus) return;
        feed.WorkerStatusChanged(new WorkerStatusUpdate(_id, _scopes, status, _publishedStatus, TimeProvider.GetUtcNow()));
        _publishedStatus = status;
    }

    private void Raise(AlertKind kind, string message, double? lat, double? lon)
    {
        if (_alerts[(int)kind] is not null) return;
        var now = TimeProvider.GetUtcNow();
        var type = AlertTypeNames[(int)kind];
        var alert = new WorkerAlert($"{_id}:{type}:{now.ToUnixTimeMilliseconds()}", type, AlertSeverities[(int)kind], _grid, now);
        _alerts[(int)kind] = alert;
        if (lat is null && _filter.HasLast) (lat, lon) = (_filter.Last.Lat, _filter.Last.Lon);
        PublishAlert(new AlertUpdate(alert.AlertId, _id, type, alert.Severity, true, ScopesFor(alert.GridCode), alert.GridCode, lat, lon, message, now));
        TellAlert(alert, active: true);
        metrics.AlertRaised(type);
        UpdateSweep();
    }

    private void Clear(AlertKind kind)
    {
        if (_alerts[(int)kind] is not { } alert) return;
        _alerts[(int)kind] = null;
        PublishAlert(new AlertUpdate(alert.AlertId, _id, alert.Type, alert.Severity, false, ScopesFor(alert.GridCode), alert.GridCode, null, null, null, TimeProvider.GetUtcNow()));
        TellAlert(alert, active: false);
        metrics.AlertCleared(alert.Type);
    }

    /// <summary>To the command centres' feed and to the listeners (responder escalation), which must not be dropped under load.</summary>
    private void PublishAlert(AlertUpdate update)
    {
        feed.AlertChanged(update);
        foreach (var listener in _alertListeners) listener.AlertChanged(update);
    }

    /// <summary>An alert counts where it was raised: its grid, or the worker's own region when it was outside every grid.</summary>
    private void TellAlert(WorkerAlert alert, bool active)
    {
        if (alert.GridCode is not null) GrainFactory.GetGrain<IGridGrain>(alert.GridCode).UpdateAlert(new AlertMark(alert.AlertId, active));
        else if (_regionCode is not null) GrainFactory.GetGrain<IRegionGrain>(_regionCode).UpdateAlert(new AlertMark(alert.AlertId, active));
    }

    private bool HasAlerts()
    {
        foreach (var a in _alerts)
        {
            if (a is not null) return true;
        }
        return false;
    }

    private void RefreshScopes()
    {
        var version = regions.Version;
        if (version == _treeVersion) return;
        _treeVersion = version;
        _scopes = ScopesFor(_grid);
    }

    private IReadOnlyList<string> ScopesFor(string? grid)
    {
        if (grid is not null && regions.Find(grid) is not null) return regions.ScopesOf(grid);
        if (_regionCode is not null && regions.Find(_regionCode) is not null) return regions.ScopesOf(_regionCode);
        return [];
    }

    private static IReadOnlyList<string> Union(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count == 0) return b;
        if (b.Count == 0) return a;
        var set = new List<string>(a.Count + b.Count);
        set.AddRange(b);
        foreach (var s in a)
        {
            if (!set.Contains(s)) set.Add(s);
        }
        return set;
    }
}
