using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Live;

/// <summary>
/// A case reported or changed, compact enough for a command centre's case list and map. <see cref="Change"/>
/// is the event's type (reported, dispatched, step_overdue, escalated, closed...); <see cref="GridCode"/> is
/// the case's region when that is a unit grid. <see cref="Scopes"/> are the case's region and its ancestors.
/// </summary>
public sealed record CaseUpdate(
    string CaseId,
    long Version,
    string Change,
    CaseStatus Status,
    string CategoryCode,
    string? CategoryName,
    string RegionCode,
    string? GridCode,
    CaseStep? Step,
    TrafficLight? Light,
    DateTimeOffset? Deadline,
    bool Overdue,
    string? EscalatedTo,
    int EscalationLevel,
    bool Urgent,
    string? Department,
    double? Lat,
    double? Lon,
    IReadOnlyList<string> Scopes,
    DateTimeOffset At);

/// <summary>
/// A case escalated (督办) to <see cref="ToRegionCode"/>: sent to that region's scope and its ancestors
/// (<see cref="Scopes"/>), not to the community or street below it that let the step go overdue.
/// </summary>
public sealed record CaseEscalationUpdate(
    string CaseId,
    string ToRegionCode,
    RegionLevel ToRegionLevel,
    int Level,
    string Reason,
    string CaseRegionCode,
    string CategoryCode,
    string? CategoryName,
    CaseStep OverdueStep,
    DateTimeOffset OverdueSince,
    bool Urgent,
    IReadOnlyList<string> Scopes,
    DateTimeOffset At);
