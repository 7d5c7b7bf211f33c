using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Warnings;

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

/// <summary>
/// A warning issued, raised, lowered or lifted (<see cref="Action"/>) for <see cref="RegionCode"/>; it applies
/// to that region and everything below, so centres of the region, its ancestors and its descendants get it.
/// <see cref="Level"/> is the warning's level now (its last level when lifted, <see cref="Active"/> false),
/// <see cref="PreviousLevel"/> the level before; levels travel as Blue, Yellow, Orange, Red (DOMAIN.md §7).
/// </summary>
public sealed record WarningMessage(
    string Scope,
    string WarningId,
    string RegionCode,
    WarningLevel Level,
    string Title,
    string? Message,
    bool Active,
    DateTimeOffset At,
    string Action,
    WarningLevel? PreviousLevel,
    string IssuedBy,
    string By,
    string? Type)
{
    internal static WarningMessage From(string scope, WarningUpdate u) =>
        new(scope, u.WarningId, u.RegionCode, u.Level, TitleOf(u), u.Reason, u.Active, u.At, u.Action, u.Previous, u.IssuedBy, u.By, u.Type);

    private static string TitleOf(WarningUpdate u)
    {
        var name = u.Level switch
        {
            WarningLevel.Red => "红色预警 (一级)",
            WarningLevel.Orange => "橙色预警 (二级)",
            WarningLevel.Yellow => "黄色预警 (三级)",
            _ => "蓝色预警 (四级)",
        };
        var what = u.Type is null ? name : $"{u.Type} {name}";
        return u.Active ? what : $"{what} 解除";
    }
}

/// <summary>
/// An escalation to on-call responders changed (<see cref="Action"/>: sent, timed_out, acknowledged, unanswered).
/// Sent to the scopes of the region where it happened and its ancestors, so every level it can climb to sees it
/// move; <see cref="Status"/> "Unanswered" means every roster up to the city was tried and it is still open.
/// </summary>
public sealed record EscalationMessage(
    string Scope,
    string EscalationId,
    string Kind,
    string SubjectId,
    string Type,
    string Summary,
    string RegionCode,
    string? RosterRegion,
    string Status,
    string Action,
    string? Responder,
    string? By,
    DateTimeOffset? DueAt,
    DateTimeOffset At)
{
    internal static EscalationMessage From(string scope, EscalationUpdate u) =>
        new(scope, u.EscalationId, u.Kind, u.SubjectId, u.Type, u.Summary, u.RegionCode, u.RosterRegion, u.Status.ToString(), u.Action, u.Responder, u.By, u.DueAt, u.At);
}
