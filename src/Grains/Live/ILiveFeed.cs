using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Grains.Warnings;

namespace GridGov.Realtime.Grains.Live;

/// <summary>
/// Where grains publish what command centres watch. Grains call it from their turns and never wait:
/// implementations must return at once (queue, coalesce, send later). Every update names the region
/// scopes allowed to see it (the grid code and all its ancestors up to the city), so the feed needs no
/// knowledge of the region tree to route it, and an out-of-scope command centre never receives it.
/// The Dashboard implements it over SignalR; tests use a recording fake.
/// </summary>
public interface ILiveFeed
{
    /// <summary>A new fix. The feed coalesces: per scope, only the latest fix per worker is sent, a few times a second at most.</summary>
    void PositionChanged(WorkerPositionUpdate update);

    void WorkerStatusChanged(WorkerStatusUpdate update);

    void GridTransition(GridTransitionUpdate update);

    void AlertChanged(AlertUpdate update);

    void CountersChanged(RegionCountersUpdate update);

    /// <summary>
    /// A warning issued, raised, lowered or lifted. Unlike other updates it also concerns the regions
    /// below <see cref="WarningUpdate.RegionCode"/> (a warning applies to the whole subtree), so the feed
    /// sends it to the named scopes and to every watched scope starting with <see cref="WarningUpdate.SubtreePrefix"/>.
    /// </summary>
    void WarningChanged(WarningUpdate update);

    /// <summary>
    /// An escalation to on-call responders was sent, timed out, acknowledged or left unanswered. Sent to the
    /// command centres of the subject's region and its ancestors (which include every roster it can reach).
    /// The default drops it, for feeds that do not show escalations.
    /// </summary>
    void EscalationChanged(EscalationUpdate update) { }

    /// <summary>A case reported or changed; sent promptly to the scopes covering the case's region.</summary>
    void CaseChanged(CaseUpdate update);

    /// <summary>A case escalated up the region chain; sent promptly to the scopes covering the region escalated to.</summary>
    void CaseEscalated(CaseEscalationUpdate update);
}

public enum WorkerStatus
{
    OffDuty,
    OnDuty,
    Offline,
    Sos,
}

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

public sealed record WorkerPositionUpdate(
    string WorkerId,
    string? GridCode,
    IReadOnlyList<string> Scopes,
    double Lat,
    double Lon,
    double? Accuracy,
    double? Speed,
    double? Heading,
    int? Battery,
    WorkerStatus Status,
    DateTimeOffset At);

public sealed record WorkerStatusUpdate(
    string WorkerId,
    IReadOnlyList<string> Scopes,
    WorkerStatus Status,
    WorkerStatus Previous,
    DateTimeOffset At);

/// <summary>A worker entered <see cref="ToGrid"/> and/or left <see cref="FromGrid"/>; scopes cover both grids.</summary>
public sealed record GridTransitionUpdate(
    string WorkerId,
    string? FromGrid,
    string? ToGrid,
    IReadOnlyList<string> Scopes,
    DateTimeOffset At);

/// <summary>An alert raised (<see cref="Active"/> true) or cleared. One active alert per subject and type.</summary>
public sealed record AlertUpdate(
    string AlertId,
    string Subject,
    string Type,
    AlertSeverity Severity,
    bool Active,
    IReadOnlyList<string> Scopes,
    string? GridCode,
    double? Lat,
    double? Lon,
    string? Message,
    DateTimeOffset At);

/// <summary>Live counters of one region (or grid); sent to that region's scope and its ancestors.</summary>
public sealed record RegionCountersUpdate(
    string RegionCode,
    IReadOnlyList<string> Scopes,
    int WorkersInside,
    int Online,
    int OnDuty,
    int ActiveAlerts,
    int OpenCases,
    int OverdueCases,
    int EscalatedCases,
    DateTimeOffset At);

/// <summary>
/// A warning changed. <see cref="Level"/> is its level now (the last level when lifted, <see cref="Active"/>
/// false), <see cref="Previous"/> the level before (null when issued). <see cref="Scopes"/> are the region
/// and its ancestors; <see cref="SubtreePrefix"/> the code prefix shared by every region below it.
/// </summary>
public sealed record WarningUpdate(
    string WarningId,
    string RegionCode,
    string SubtreePrefix,
    WarningLevel Level,
    WarningLevel? Previous,
    bool Active,
    string Action,
    string IssuedBy,
    string By,
    string Reason,
    string? Type,
    IReadOnlyList<string> Scopes,
    DateTimeOffset At);

/// <summary>
/// An escalation changed: <see cref="Action"/> is "sent", "timed_out", "acknowledged" or "unanswered";
/// <see cref="Responder"/> is who has it now (null unless pending), <see cref="By"/> who the action concerns.
/// </summary>
public sealed record EscalationUpdate(
    string EscalationId,
    string Kind,
    string SubjectId,
    string Type,
    string Summary,
    string RegionCode,
    string? RosterRegion,
    EscalationStatus Status,
    string Action,
    string? Responder,
    string? By,
    DateTimeOffset? DueAt,
    IReadOnlyList<string> Scopes,
    DateTimeOffset At);
