using GridGov.Realtime.Grains.Live;

namespace GridGov.Realtime.Dashboard.Hubs;

// Messages to command centres. Every message names the subscribed scope it was sent for, so a client
// subscribed to two nested regions can tell the copies apart. Enums travel as their names.

/// <summary>One worker's latest fix.</summary>
public sealed record WorkerPosition(
    string WorkerId,
    string? GridCode,
    double Lat,
    double Lon,
    double? Accuracy,
    double? Speed,
    double? Heading,
    int? Battery,
    string Status,
    DateTimeOffset At)
{
    internal static WorkerPosition From(WorkerPositionUpdate u) =>
        new(u.WorkerId, u.GridCode, u.Lat, u.Lon, u.Accuracy, u.Speed, u.Heading, u.Battery, u.Status.ToString(), u.At);
}

/// <summary>Coalesced positions for one scope: at most one entry per worker.</summary>
public sealed record PositionBatch(string Scope, IReadOnlyList<WorkerPosition> Positions);

public sealed record WorkerStatusMessage(string Scope, string WorkerId, string Status, string Previous, DateTimeOffset At)
{
    internal static WorkerStatusMessage From(string scope, WorkerStatusUpdate u) =>
        new(scope, u.WorkerId, u.Status.ToString(), u.Previous.ToString(), u.At);
}

public sealed record GridTransitionMessage(string Scope, string WorkerId, string? FromGrid, string? ToGrid, DateTimeOffset At)
{
    internal static GridTransitionMessage From(string scope, GridTransitionUpdate u) =>
        new(scope, u.WorkerId, u.FromGrid, u.ToGrid, u.At);
}

public sealed record AlertMessage(
    string Scope,
    string AlertId,
    string Subject,
    string Type,
    string Severity,
    bool Active,
    string? GridCode,
    double? Lat,
    double? Lon,
    string? Message,
    DateTimeOffset At)
{
    internal static AlertMessage From(string scope, AlertUpdate u) =>
        new(scope, u.AlertId, u.Subject, u.Type, u.Severity.ToString(), u.Active, u.GridCode, u.Lat, u.Lon, u.Message, u.At);
}

public sealed record CountersMessage(
    string Scope,
    string RegionCode,
    int WorkersInside,
    int Online,
    int OnDuty,
    int ActiveAlerts,
    int OpenCases,
    int OverdueCases,
    int EscalatedCases,
    DateTimeOffset At)
{
    internal static CountersMessage From(string scope, RegionCountersUpdate u) =>
        new(scope, u.RegionCode, u.WorkersInside, u.Online, u.OnDuty, u.ActiveAlerts, u.OpenCases, u.OverdueCases, u.EscalatedCases, u.At);
}

/// <summary>Warning levels of DOMAIN.md (蓝/黄/橙/红), lowest first.</summary>
public enum WarningLevel
{
    Blue,
    Yellow,
    Orange,
    Red,
}

/// <summary>A warning issued or lifted for a region; reserved for the warnings issue.</summary>
public sealed record WarningMessage(
    string Scope,
    string WarningId,
    string RegionCode,
    WarningLevel Level,
    string Title,
    string? Message,
    bool Active,
    DateTimeOffset At);
