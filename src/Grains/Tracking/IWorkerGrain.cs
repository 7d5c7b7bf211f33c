using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Live;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>A grid worker's live state, keyed by worker id: last fix, grid, status and alerts.</summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Fixes in the order the terminal sent them (already parsed and range-checked).</summary>
    [OneWay] Task ReportPositions(PositionFix[] fixes);

    [OneWay] Task ReportSos(SosSignal sos);

    /// <summary>The terminal's connection ended without a clean disconnect (will message / broker keep-alive timeout).</summary>
    [OneWay] Task ConnectionLost();

    Task SetDuty(bool onDuty);

    /// <summary>A command centre has handled the SOS: clears the SOS alert and status.</summary>
    Task ResolveSos();

    Task<WorkerSnapshot> Get();
}

/// <summary>Alert types a worker raises; one active alert per worker and type.</summary>
public static class WorkerAlertTypes
{
    public const string Offline = "offline";
    public const string Immobile = "immobile";
    public const string OutsideAssignedGrids = "outside_assigned_grids";
    public const string Sos = "sos";
    public const string LowBattery = "low_battery";
}

public sealed record WorkerAlert(string AlertId, string Type, AlertSeverity Severity, string? GridCode, DateTimeOffset Since);

public sealed record WorkerSnapshot(
    string WorkerId,
    WorkerStatus Status,
    bool OnDuty,
    bool Online,
    string? GridCode,
    PositionFix? LastFix,
    DateTimeOffset? LastReportAt,
    IReadOnlyList<WorkerAlert> ActiveAlerts);

/// <summary>The worker's persisted part: duty survives a restart; the live part is rebuilt from the next fixes.</summary>
public sealed class WorkerState
{
    public bool OnDuty { get; set; }
}
