using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;

namespace GridGov.Realtime.Dashboard.Hubs;

/// <summary>
/// A case reported or changed in the subscribed scope: enough for a case list row and a map marker.
/// <see cref="Change"/> is the event's type (reported, dispatched, step_overdue, escalated, closed...);
/// <see cref="Light"/> the traffic light (DOMAIN.md §4) and <see cref="EscalatedTo"/> the region now
/// supervising it (督办, DOMAIN.md §3), null when not escalated. Fetch the full case from <c>GET /api/cases/{id}</c>.
/// </summary>
public sealed record CaseUpdateMessage(
    string Scope,
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
    DateTimeOffset At)
{
    internal static CaseUpdateMessage From(string scope, CaseUpdate u) =>
        new(scope, u.CaseId, u.Version, u.Change, u.Status, u.CategoryCode, u.CategoryName, u.RegionCode, u.GridCode, u.Step,
            u.Light, u.Deadline, u.Overdue, u.EscalatedTo, u.EscalationLevel, u.Urgent, u.Department, u.Lat, u.Lon, u.At);
}

/// <summary>
/// A case escalated (督办) to <see cref="ToRegionCode"/>, sent to that region's centre and the centres above it.
/// <see cref="Level"/> counts from 1 (the first region above the responsible community).
/// </summary>
public sealed record CaseEscalationMessage(
    string Scope,
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
    DateTimeOffset At)
{
    internal static CaseEscalationMessage From(string scope, CaseEscalationUpdate u) =>
        new(scope, u.CaseId, u.ToRegionCode, u.ToRegionLevel, u.Level, u.Reason, u.CaseRegionCode, u.CategoryCode, u.CategoryName,
            u.OverdueStep, u.OverdueSince, u.Urgent, u.At);
}
