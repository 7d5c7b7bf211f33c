using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Intake;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Sensors;

/// <summary>One IoT or video-analytics sensor, keyed by sensor id (as registered in the directory).</summary>
public interface ISensorGrain : IGrainWithStringKey
{
    /// <summary>An event the sensor raised (parsed and range-checked by <see cref="SensorIntake"/>).</summary>
    [OneWay] Task ReportEvent(SensorEvent sensorEvent);

    [OneWay] Task Heartbeat(SensorHeartbeat heartbeat);

    Task<SensorSnapshot> Get();
}

/// <summary>
/// Applies <see cref="SensorEventRulesOptions"/> to one sensor's events and watches its heartbeat.
/// </summary>
/// <remarks>
/// <para>Per event type there is at most one open <i>window</i> (persisted). The first event of a type opens it:
/// at or above the type's case severity it reports a case into a new <see cref="ICaseGrain"/> (actor
/// <see cref="CaseRoles.System"/>, so the case starts in Verifying, waiting for a grid worker's 核实) at the
/// sensor's grid and position with the media as attachments, and sends it to the nearest on-duty grid worker for 核实
/// (<see cref="VerificationDispatcher"/>); below it (or for an alert-only type) it raises a
/// <c>sensor_event</c> alert. Every further event of the type counts against the window and pushes its end
/// to <i>now + dedup window</i> (a debounce: a condition that keeps firing keeps one case); on a case window it
/// is appended to the case as a note (<see cref="CaseCommandKind.Annotate"/>). An alert window that sees an
/// event at case severity turns into a case window. When a window ends, the next event opens a new one; an
/// alert window's alert is cleared then. If the case was closed or voided meanwhile, the repeat opens a new case.</para>
/// <para>Redelivery: an event with the same sensor time as the window's first or latest is a duplicate and is
/// dropped. The case id is persisted before the report is sent, and the report's request id is derived from
/// sensor, type and first event time, so a crash between the two and a redelivered publish report once.</para>
/// <para>Heartbeat: any heartbeat or event is contact. While the sensor is online a one-shot grain timer waits
/// for the heartbeat timeout; silence that long raises <c>sensor_offline</c>, cleared by the next contact.
/// Windows are judged on the server clock (silence is measured where it is observed).</para>
/// </remarks>
public sealed partial class SensorGrain(
    [PersistentState("sensor")] IPersistentState<SensorState> state,
    IWorkerDirectory directory,
    IRegionDirectory regions,
    ILiveFeed feed,
    CaseWorkflow workflow,
    VerificationDispatcher verification,
    IOptions<SensorEventRulesOptions> options,
    SensorMetrics metrics,
    ILogger<SensorGrain> logger) : Grain, ISensorGrain
{
    /// <summary>Well below the runtime's idle timeout (15 min by default).</summary>
    private static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromMinutes(1);

    private readonly SensorEventRulesOptions _o = options.Value;
    private readonly Dictionary<string, AlertUpdate> _alerts = new(StringComparer.Ordinal);
    private string _id = "";
    private string? _lastStatus;
    private IGrainTimer? _timer;

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    private SensorState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = GetPrimaryKeyString();
        // Alert windows left open by the last activation: their alerts were cleared on deactivation.
        if (Profile() is { } profile)
        {
            foreach (var (type, w) in S.Windows)
            {
                if (w.CaseId is null && w.WindowEnd > Now) RaiseEventAlert(profile, type, w, null, null);
            }
        }
        Schedule();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var alert in _alerts.Values.ToList()) Publish(alert with { Active = false, At = Now });
        _alerts.Clear();
        return Task.CompletedTask;
    }

    public async Task ReportEvent(SensorEvent sensorEvent)
    {
        ArgumentNullException.ThrowIfNull(sensorEvent);
        if (Profile() is not { } profile)
        {
            LogUnknown(logger, _id);
            return;
        }
        var now = Now;
        var dirty = MarkContact(now);
        var rule = _o.RuleFor(sensorEvent.Type);
        var window = _o.WindowFor(rule);
        var atCaseLevel = rule.CaseMinSeverity is { } min && sensorEvent.Severity >= min;

        if (S.Windows.TryGetValue(sensorEvent.Type, out var w) && w.WindowEnd <= now)
        {
            EndWindow(sensorEvent.Type, w);
            w = null;
            dirty = true;
        }

        if (w is not null && (sensorEvent.Ts == w.FirstTs || sensorEvent.Ts == w.LastTs))
        {
            // A redelivered publish. Finish a report that did not get through, change nothing else.
            metrics.Event("duplicate");
            if (w is { CaseId: not null, Reported: false }) await ReportCaseAsync(profile, rule, sensorEvent.Type, w, sensorEvent);
            else if (dirty) await state.WriteStateAsync();
            Schedule();
            return;
        }

        if (w is null)
        {
            w = new SensorWindow { FirstTs = sensorEvent.Ts, LastTs = sensorEvent.Ts, Count = 1, MaxSeverity = sensorEvent.Severity, WindowEnd = now + window };
            metrics.Event(atCaseLevel ? "case_opened" : "alert");
            if (atCaseLevel) await OpenCaseAsync(profile, rule, sensorEvent, w);
            else
            {
                S.Windows[sensorEvent.Type] = w;
                await state.WriteStateAsync();
                RaiseEventAlert(profile, sensorEvent.Type, w, sensorEvent.Lat, sensorEvent.Lon);
            }
        }
        else if (w.CaseId is null && atCaseLevel)
        {
            // The condition got worse: the alert becomes a case; the case carries the count so far.
            metrics.Event("case_opened");
            ClearAlert(SensorAlerts.IdOf(_id, SensorAlertTypes.SensorEvent, sensorEvent.Type));
            var next = new SensorWindow { FirstTs = sensorEvent.Ts, LastTs = sensorEvent.Ts, Count = w.Count + 1, MaxSeverity = Math.Max(w.MaxSeverity, sensorEvent.Severity), WindowEnd = now + window };
            await OpenCaseAsync(profile, rule, sensorEvent, next);
        }
        else
        {
            metrics.Event(w.CaseId is null ? "alert_repeat" : "case_repeat");
            w.Count++;
            w.LastTs = sensorEvent.Ts;
            w.MaxSeverity = Math.Max(w.MaxSeverity, sensorEvent.Severity);
            w.WindowEnd = now + window;
            await state.WriteStateAsync();
            if (w.CaseId is null) RaiseEventAlert(profile, sensorEvent.Type, w, sensorEvent.Lat, sensorEvent.Lon);
            else await AnnotateAsync(profile, rule, sensorEvent, w);
        }
        Schedule();
    }

    public async Task Heartbeat(SensorHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        if (Profile() is null)
        {
            LogUnknown(logger, _id);
            return;
        }
        _lastStatus = heartbeat.Status;
        if (MarkContact(Now)) await state.WriteStateAsync();
        Schedule();
    }

    public Task<SensorSnapshot> Get() => Task.FromResult(new SensorSnapshot(
        _id,
        Profile() is not null,
        S.Online,
        S.LastContactAt,
        _lastStatus,
        [.. S.Windows.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new SensorWindowView(p.Key, p.Value.CaseId, p.Value.Count, p.Value.MaxSeverity, p.Value.WindowEnd))],
        [.. _alerts.Values.Select(a => a.Type == SensorAlertTypes.SensorEvent ? a.Type + a.AlertId[a.AlertId.LastIndexOf(':')..] : a.Type).Order(StringComparer.Ordinal)]));

    private SensorProfile? Profile() => directory.FindSensor(_id) is { Active: true } p ? p : null;

    /// <summary>Records contact; true when the persisted state changed (the sensor came back online).</summary>
    private bool MarkContact(DateTimeOffset now)
    {
        S.LastContactAt = now;
        ClearAlert(SensorAlerts.IdOf(_id, SensorAlertTypes.SensorOffline));
        if (S.Online) return false;
        S.Online = true;
        return true;
    }

    private async Task OpenCaseAsync(SensorProfile profile, SensorEventRule rule, SensorEvent e, SensorWindow w)
    {
        var now = Now;
        w.CaseId = await GrainFactory.GetGrain<ICaseNumberGrain>(CaseIds.DayKey(now, workflow.Calendar.TimeZone)).Next();
        w.RequestId = RequestIdFor(_id, e.Type, e.Ts);
        w.Reported = false;
        // Durable before the report: after a crash the redelivered event finds this case id and reports it once.
        S.Windows[e.Type] = w;
        await state.WriteStateAsync();
        await ReportCaseAsync(profile, rule, e.Type, w, e);
    }

    private async Task ReportCaseAsync(SensorProfile profile, SensorEventRule rule, string type, SensorWindow w, SensorEvent e)
    {
        var lat = e.Lat ?? profile.Lat;
        var lon = e.Lon ?? profile.Lon;
        if (lat is null || lon is null) lat = lon = null;
        var command = new CaseCommand
        {
            RequestId = w.RequestId!,
            Actor = Actor(),
            Kind = CaseCommandKind.Report,
            CaseKind = rule.CaseKind,
            CategoryCode = rule.CategoryCode,
            Urgency = rule.Urgency,
            RegionCode = profile.GridCode,
            Description = $"{(string.IsNullOrWhiteSpace(rule.Description) ? type : rule.Description)} — sensor {_id} ({profile.Type}), {type}, severity {e.Severity}, at {Time(e.Ts)}",
            Latitude = lat,
            Longitude = lon,
            Attachments = e.Media.Count == 0 ? null : e.Media,
        };
        var result = await GrainFactory.GetGrain<ICaseGrain>(w.CaseId!).Execute(command);
        if (result.Succeeded)
        {
            w.Reported = true;
            await state.WriteStateAsync();
            // Nobody has looked at it yet: the nearest on-duty grid worker goes to verify (DOMAIN.md §3 step 1).
            await verification.DispatchAsync(result.View!);
            return;
        }
        // Not reportable (e.g. the sensor's grid is not a region code): the event still reaches the command centre.
        LogReportFailed(logger, _id, type, w.CaseId!, result.Status, result.Error);
        var alertWindow = new SensorWindow { FirstTs = w.FirstTs, LastTs = w.LastTs, Count = w.Count, MaxSeverity = w.MaxSeverity, WindowEnd = w.WindowEnd };
        S.Windows[type] = alertWindow;
        await state.WriteStateAsync();
        RaiseEventAlert(profile, type, alertWindow, e.Lat, e.Lon);
    }

    private async Task AnnotateAsync(SensorProfile profile, SensorEventRule rule, SensorEvent e, SensorWindow w)
    {
        if (!w.Reported)
        {
            // The first report never got through: report now; the repeat is in the count.
            await ReportCaseAsync(profile, rule, e.Type, w, e);
            return;
        }
        var result = await GrainFactory.GetGrain<ICaseGrain>(w.CaseId!).Execute(new CaseCommand
        {
            RequestId = RequestIdFor(_id, e.Type, e.Ts, "repeat"),
            Actor = Actor(),
            Kind = CaseCommandKind.Annotate,
            Note = $"Sensor {_id} repeated {e.Type} (#{w.Count} in this window), severity {e.Severity}, at {Time(e.Ts)}",
            Attachments = e.Media.Count == 0 ? null : e.Media,
        });
        if (result.Succeeded) return;
        if (result.Status is CaseCommandStatus.IllegalTransition or CaseCommandStatus.NotFound)
        {
            // The case was closed or voided meanwhile: the condition is back, so it is a new case.
            var next = new SensorWindow { FirstTs = e.Ts, LastTs = e.Ts, Count = 1, MaxSeverity = e.Severity, WindowEnd = w.WindowEnd };
            if (rule.CaseMinSeverity is { } min && e.Severity >= min) await OpenCaseAsync(profile, rule, e, next);
            else
            {
                S.Windows[e.Type] = next;
                await state.WriteStateAsync();
                RaiseEventAlert(profile, e.Type, next, e.Lat, e.Lon);
            }
            return;
        }
        LogReportFailed(logger, _id, e.Type, w.CaseId!, result.Status, result.Error);
    }

    private void EndWindow(string type, SensorWindow w)
    {
        S.Windows.Remove(type);
        if (w.CaseId is null) ClearAlert(SensorAlerts.IdOf(_id, SensorAlertTypes.SensorEvent, type));
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var dirty = false;
        foreach (var (type, w) in S.Windows.Where(p => p.Value.WindowEnd <= now).ToList())
        {
            EndWindow(type, w);
            dirty = true;
        }
        if (S.Online && S.LastContactAt is { } last && now - last >= _o.HeartbeatTimeout)
        {
            S.Online = false;
            dirty = true;
            if (Profile() is { } profile)
            {
                Raise(new AlertUpdate(SensorAlerts.IdOf(_id, SensorAlertTypes.SensorOffline), _id, SensorAlertTypes.SensorOffline, SensorAlerts.OfflineSeverity, true,
                    ScopesOf(profile.GridCode), profile.GridCode, profile.Lat, profile.Lon,
                    $"Sensor {_id} ({profile.Type}) silent since {last:O}", now));
            }
        }
        if (dirty) await state.WriteStateAsync(cancellationToken);
        Schedule();
    }

    /// <summary>
    /// One keep-alive timer, first due at the next instant something is due (offline or a window's end), or
    /// ticking while an alert is active; none (the grain may be collected) when nothing is.
    /// </summary>
    private void Schedule()
    {
        DateTimeOffset? due = S.Online && S.LastContactAt is { } last ? last + _o.HeartbeatTimeout : null;
        foreach (var w in S.Windows.Values)
        {
            if (due is null || w.WindowEnd < due) due = w.WindowEnd;
        }
        // An active alert (an offline sensor) keeps the activation: idle collection would clear the alert.
        if (due is null && _alerts.Count > 0) due = Now + _o.HeartbeatTimeout;
        if (due is not { } at)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }
        var wait = at - Now;
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        _timer ??= RegisterGrainTimer(TickAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, keepAlive: true);
        // Periodic after the due instant: each tick keeps the activation from idle collection and reschedules.
        _timer.Change(wait, _o.HeartbeatTimeout < KeepAlivePeriod ? _o.HeartbeatTimeout : KeepAlivePeriod);
    }

    private void RaiseEventAlert(SensorProfile profile, string type, SensorWindow w, double? lat, double? lon) =>
        Raise(new AlertUpdate(
            SensorAlerts.IdOf(_id, SensorAlertTypes.SensorEvent, type),
            _id,
            SensorAlertTypes.SensorEvent,
            _o.RuleFor(type).AlertSeverity,
            true,
            ScopesOf(profile.GridCode),
            profile.GridCode,
            lat ?? profile.Lat,
            lon ?? profile.Lon,
            $"{type} from sensor {_id} ({profile.Type}), severity {w.MaxSeverity}, {w.Count} time(s)",
            Now));

    private void Raise(AlertUpdate alert)
    {
        var isNew = !_alerts.ContainsKey(alert.AlertId);
        _alerts[alert.AlertId] = alert;
        Publish(alert);
        if (isNew) metrics.AlertRaised(alert.Type);
        if (isNew && alert.GridCode is not null) GrainFactory.GetGrain<IGridGrain>(alert.GridCode).UpdateAlert(new AlertMark(alert.AlertId, true));
    }

    private void ClearAlert(string alertId)
    {
        if (!_alerts.Remove(alertId, out var alert)) return;
        Publish(alert with { Active = false, At = Now });
        metrics.AlertCleared(alert.Type);
        if (alert.GridCode is not null) GrainFactory.GetGrain<IGridGrain>(alert.GridCode).UpdateAlert(new AlertMark(alert.AlertId, false));
    }

    private void Publish(AlertUpdate alert)
    {
        try
        {
            feed.AlertChanged(alert);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFeedFailed(logger, ex, _id);
        }
    }

    private IReadOnlyList<string> ScopesOf(string grid) => regions.Find(grid) is not null ? regions.ScopesOf(grid) : [];

    private CaseActor Actor() => new($"sensor:{_id}", CaseRoles.System, "");

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// A case request id for one sensor event: readable (<c>sensor:{id}:{type}:{ms}</c>) when it fits the
    /// workflow's 64 characters, otherwise a hash of the same text. The same event always gives the same id.
    /// </summary>
    public static string RequestIdFor(string sensorId, string type, long ts, string? purpose = null)
    {
        var text = purpose is null
            ? string.Create(CultureInfo.InvariantCulture, $"sensor:{sensorId}:{type}:{ts}")
            : string.Create(CultureInfo.InvariantCulture, $"sensor:{sensorId}:{type}:{ts}:{purpose}");
        if (text.Length <= CaseWorkflow.MaxIdLength && !CaseWorkflow.Text.InvalidId(text)) return text;
        return "sensor:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..48];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sensor {SensorId} is not registered or inactive; message dropped")]
    private static partial void LogUnknown(ILogger logger, string sensorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor {SensorId}: {Type} case {CaseId} was not updated ({Status}: {Error})")]
    private static partial void LogReportFailed(ILogger logger, string sensorId, string type, string caseId, CaseCommandStatus status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor {SensorId}: publishing an alert failed")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception, string sensorId);
}
