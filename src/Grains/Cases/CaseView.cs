using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// A case as operators see it. <see cref="Light"/> and <see cref="Overdue"/> are computed against the
/// clock at the moment of the call; everything else comes from the events.
/// </summary>
public sealed record CaseView
{
    public required string Id { get; init; }
    public required long Version { get; init; }
    public required CaseStatus Status { get; init; }
    public required CaseKind Kind { get; init; }
    public required string CategoryCode { get; init; }
    public string? CategoryName { get; init; }
    public required Urgency Urgency { get; init; }
    public required string RegionCode { get; init; }
    public required string Description { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? Department { get; init; }
    public bool NeedsVerification { get; init; }
    public bool? Verified { get; init; }

    /// <summary>The grid worker last sent to verify the report (核实), if any.</summary>
    public string? Verifier { get; init; }
    public bool CheckPassed { get; init; }

    /// <summary>The timed step now running (also while its clock is stopped).</summary>
    public CaseStep? Step { get; init; }
    public DateTimeOffset? StepStartedAt { get; init; }
    public TimeLimit? StepLimit { get; init; }

    /// <summary>The step's deadline; null while no step runs or the clock is stopped (挂账, pending 延期).</summary>
    public DateTimeOffset? Deadline { get; init; }
    public TrafficLight? Light { get; init; }
    public int ReworkCount { get; init; }
    public int ExtensionCount { get; init; }
    public int SuperviseCount { get; init; }
    public bool Suspended { get; init; }
    public bool ExtensionPending { get; init; }
    public bool Overdue { get; init; }

    /// <summary>The deadline the current step missed; null while it is not overdue.</summary>
    public DateTimeOffset? OverdueSince { get; init; }

    /// <summary>督办 up the region chain: the level (0: not escalated), the region now supervising, and since when.</summary>
    public int EscalationLevel { get; init; }
    public string? EscalatedTo { get; init; }
    public RegionLevel? EscalatedToLevel { get; init; }
    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>Where and when the case escalates next if it stays overdue (set by the case grain from <see cref="CaseEscalationPolicy"/>).</summary>
    public string? NextEscalationTo { get; init; }
    public DateTimeOffset? NextEscalationAt { get; init; }

    public required string ReportedBy { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public IReadOnlyList<string> Attachments { get; init; } = [];

    public static CaseView From(CaseState state, CaseWorkflow workflow, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(workflow);
        TrafficLight? light = state is { Step: not null, Limit: { } limit, StepStartedAt: { } start }
            ? workflow.Calendar.Light(start, now, limit, state.Pauses)
            : null;
        return new CaseView
        {
            Id = state.Id,
            Version = state.Version,
            Status = state.Status,
            Kind = state.Kind,
            CategoryCode = state.CategoryCode,
            CategoryName = workflow.Catalog.Find(state.Kind, state.CategoryCode)?.Name,
            Urgency = state.Urgency,
            RegionCode = state.RegionCode,
            Description = state.Description,
            Latitude = state.Latitude,
            Longitude = state.Longitude,
            Department = state.Department,
            NeedsVerification = state.NeedsVerification,
            Verified = state.Verified,
            Verifier = state.Verifier,
            CheckPassed = state.CheckPassed,
            Step = state.Step,
            StepStartedAt = state.StepStartedAt,
            StepLimit = state.Limit,
            Deadline = state.Deadline,
            Light = light,
            ReworkCount = state.ReworkCount,
            ExtensionCount = state.ExtensionCount,
            SuperviseCount = state.SuperviseCount,
            Suspended = state.Status == CaseStatus.Suspended,
            ExtensionPending = state.Status == CaseStatus.ExtensionPending,
            Overdue = state.Overdue || light == TrafficLight.Red,
            OverdueSince = state.OverdueSince,
            EscalationLevel = state.EscalationLevel,
            EscalatedTo = state.EscalatedTo,
            EscalatedToLevel = state.EscalatedToLevel,
            EscalatedAt = state.EscalatedAt,
            ReportedBy = state.ReportedBy,
            ReportedAt = state.ReportedAt,
            UpdatedAt = state.UpdatedAt,
            Attachments = state.Attachments,
        };
    }
}

/// <summary>One row of a case's audit trail, flattened for display.</summary>
public sealed record CaseAuditEntry
{
    public required long Seq { get; init; }
    public required string Type { get; init; }
    public required string RequestId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string ActorName { get; init; }
    public required string ActorRole { get; init; }
    public CaseStatus? From { get; init; }
    public required CaseStatus To { get; init; }
    public string? Note { get; init; }
    public IReadOnlyList<string> Attachments { get; init; } = [];
    public CaseStep? Step { get; init; }
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The event's own fields in words (department, rework count, extension...).</summary>
    public string? Detail { get; init; }

    public static CaseAuditEntry Of(CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new CaseAuditEntry
        {
            Seq = e.Seq,
            Type = e.Type,
            RequestId = e.RequestId,
            At = e.At,
            ActorName = e.ActorName,
            ActorRole = e.ActorRole,
            From = e.From,
            To = e.To,
            Note = e.Note,
            Attachments = e.Attachments,
            Step = e.Step,
            Deadline = e.Deadline,
            Detail = e switch
            {
                CaseReported r => $"{r.Kind} {r.CategoryCode}, {r.Urgency}, region {r.RegionCode}{(r.NeedsVerification ? ", needs verification" : "")}",
                CaseVerified v => v.Confirmed ? "confirmed on site" : "not confirmed on site",
                CaseFiled f => $"{f.Kind} {f.CategoryCode}, {f.Urgency}",
                CaseVerificationRequested { Worker: { } w } => $"worker {w}",
                CaseDispatched d => d.Routed ? $"department {d.Department} (responsibility table)" : $"department {d.Department}",
                CaseReturned r => $"returned by department {r.Department}",
                CaseCheckFailed f => $"rework #{f.ReworkCount} to department {f.Department}",
                CaseExtensionRequested x => x.RequestedAmount is { } a ? $"requested +{a}" : null,
                CaseExtensionApproved a => $"extension #{a.ExtensionCount}: +{a.Amount} {e.Limit?.Unit}",
                CaseStepOverdue o => $"{o.OverdueStep} due {o.Due:O}",
                CaseEscalated x => $"escalated to {x.ToRegionLevel.ToWireName()} {x.ToRegionCode} (level {x.Level}): {x.Reason}",
                _ => null,
            },
        };
    }
}
