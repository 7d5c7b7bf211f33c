using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Cases.ReadModel;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Silo.Cases;

/// <summary>One row of GET /api/cases: the case read model's summary, times in the calendar's own offset.</summary>
internal sealed record CaseListItem(
    string Id,
    CaseStatus Status,
    CaseKind Kind,
    string CategoryCode,
    string? CategoryName,
    Urgency Urgency,
    string RegionCode,
    string? Department,
    string ReportedBy,
    DateTimeOffset ReportedAt,
    DateTimeOffset? FiledAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset UpdatedAt,
    CaseStep? Step,
    DateTimeOffset? Deadline,
    TrafficLight? Light,
    bool Overdue,
    int ReworkCount,
    bool Escalated,
    long Version)
{
    public static CaseListItem Of(CaseSummary s, CaseWorkflow workflow, DateTimeOffset now)
    {
        var zone = workflow.Calendar.TimeZone;
        DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone);
        DateTimeOffset? Opt(DateTimeOffset? t) => t is { } v ? Local(v) : null;
        var light = s.LightAt(now);
        return new(s.CaseId, s.Status, s.Kind, s.CategoryCode, workflow.Catalog.Find(s.Kind, s.CategoryCode)?.Name, s.Urgency,
            s.RegionCode, s.Department, s.ReportedBy, Local(s.ReportedAt), Opt(s.FiledAt), Opt(s.ClosedAt), Local(s.UpdatedAt),
            s.Step, Opt(s.Deadline), light, s.Overdue || light == TrafficLight.Red, s.ReworkCount, s.Escalated, s.Version);
    }
}
