using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>
/// One case as the read model stores it: what listing filters on and what the DOMAIN.md §5 statistics
/// count. Built only by <see cref="CaseSummaries.From"/> from the case's whole event stream, so the live
/// projection and a rebuild give the same row.
/// </summary>
public sealed record CaseSummary
{
    public required string CaseId { get; init; }
    public required long Version { get; init; }
    public required CaseStatus Status { get; init; }
    public required CaseKind Kind { get; init; }
    public required string CategoryCode { get; init; }
    public required Urgency Urgency { get; init; }

    /// <summary>The reported region (grid) code; region statistics select by its prefix.</summary>
    public required string RegionCode { get; init; }

    /// <summary>The department now handling it, else the last one it was dispatched to (returned cases keep it for statistics).</summary>
    public string? Department { get; init; }

    /// <summary>The 监督员 (or user) who reported it.</summary>
    public required string ReportedBy { get; init; }

    /// <summary>Who did the 核实, and who did the last 核查.</summary>
    public string? VerifiedBy { get; init; }
    public string? CheckedBy { get; init; }

    public required DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset? FiledAt { get; init; }
    public DateTimeOffset? DispatchedAt { get; init; }

    /// <summary>The last 处理反馈 (feedback) of the department.</summary>
    public DateTimeOffset? HandledAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The running step and the traffic-light inputs: the instants it turns yellow (80 %) and red (past the deadline).</summary>
    public CaseStep? Step { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public DateTimeOffset? YellowAt { get; init; }

    /// <summary>While the clock is stopped (挂账, pending 延期) the light stays where the pause found it.</summary>
    public TrafficLight? PausedLight { get; init; }

    public bool NeedsVerification { get; init; }

    /// <summary>A public report confirmed on site: counts as 监督举报核实 of its region.</summary>
    public bool PublicReportVerified { get; init; }

    public bool Filed => FiledAt is not null;
    public bool Voided => Status == CaseStatus.Void;
    public bool Dispatched => DispatchedAt is not null;
    public bool Handled => HandledAt is not null;
    public bool Closed => ClosedAt is not null;
    public bool IsOpen => Status is not (CaseStatus.Closed or CaseStatus.Void);

    /// <summary>A handling round ended after its deadline or was recorded overdue (超期处置).</summary>
    public bool HandlingOverdue { get; init; }

    /// <summary>Any step of the case ended late or was recorded overdue.</summary>
    public bool EverOverdue { get; init; }

    /// <summary>The running step is overdue now (a <see cref="CaseStepOverdue"/> was recorded for it).</summary>
    public bool Overdue { get; init; }

    /// <summary>按时处置: the department gave feedback and no handling round was late.</summary>
    public bool HandledOnTime => Handled && !HandlingOverdue;

    /// <summary>按期结案: closed with every step within its limit [INF: DOMAIN.md §5 names the count, not the rule].</summary>
    public bool ClosedOnTime => Closed && !EverOverdue;

    /// <summary>Whether the last 核查 was done within the checking step's limit; null before any 核查.</summary>
    public bool? CheckOnTime { get; init; }

    public int ReworkCount { get; init; }

    /// <summary>督办 or escalated up the region chain (see <see cref="CaseSummaries.EscalationEventTypes"/>).</summary>
    public bool Escalated { get; init; }

    public bool Suspended => Status == CaseStatus.Suspended;

    /// <summary>The traffic light at <paramref name="now"/> (DOMAIN.md §4); null when no timed step runs.</summary>
    public TrafficLight? LightAt(DateTimeOffset now)
    {
        if (Step is null) return null;
        if (Deadline is not { } deadline) return PausedLight;
        if (Overdue || deadline < now) return TrafficLight.Red;
        return YellowAt is { } yellow && yellow <= now ? TrafficLight.Yellow : TrafficLight.Green;
    }
}
