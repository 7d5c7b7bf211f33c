using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// A case as its events say it is. Built only by <see cref="Apply"/> / <see cref="Fold"/>: a pure fold
/// with no clock, catalogue or I/O, so replaying the audit trail always gives the same case.
/// </summary>
public sealed record CaseState
{
    public required string Id { get; init; }
    public long Version { get; init; }
    public CaseStatus Status { get; init; }
    public CaseKind Kind { get; init; }
    public string CategoryCode { get; init; } = "";
    public Urgency Urgency { get; init; }
    public string RegionCode { get; init; } = "";
    public string Description { get; init; } = "";
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public bool NeedsVerification { get; init; }

    /// <summary>The grid worker last sent to verify (核实) the report, if any.</summary>
    public string? Verifier { get; init; }

    /// <summary>Null until 核实; then whether the report was confirmed on site.</summary>
    public bool? Verified { get; init; }

    public string? Department { get; init; }
    public bool CheckPassed { get; init; }

    /// <summary>In a pausing side state (延期 pending, 挂账): the status to go back to.</summary>
    public CaseStatus? ResumeTo { get; init; }

    public int ReworkCount { get; init; }
    public int ExtensionCount { get; init; }

    /// <summary>Sum of approved extensions, in the handling limit's unit.</summary>
    public decimal ExtendedBy { get; init; }

    public int SuperviseCount { get; init; }

    /// <summary>The current step's deadline has passed (a <see cref="CaseStepOverdue"/> was recorded for it).</summary>
    public bool Overdue { get; init; }

    /// <summary>The deadline the current step missed (from its <see cref="CaseStepOverdue"/>); null while not overdue.</summary>
    public DateTimeOffset? OverdueSince { get; init; }

    /// <summary>The step's current 督办 level up the region chain (0: not escalated); see <see cref="CaseEscalated"/>.</summary>
    public int EscalationLevel { get; init; }

    /// <summary>The region the case is escalated to now, its level, and since when; null when not escalated.</summary>
    public string? EscalatedTo { get; init; }
    public RegionLevel? EscalatedToLevel { get; init; }
    public DateTimeOffset? EscalatedAt { get; init; }

    public CaseStep? Step { get; init; }
    public DateTimeOffset? StepStartedAt { get; init; }
    public IReadOnlyList<ClockPause> Pauses { get; init; } = [];
    public TimeLimit? Limit { get; init; }
    public DateTimeOffset? Deadline { get; init; }

    public DateTimeOffset ReportedAt { get; init; }
    public string ReportedBy { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public IReadOnlyList<string> Attachments { get; init; } = [];

    public bool IsTerminal => Status is CaseStatus.Void or CaseStatus.Closed;
    public bool IsPaused => Status is CaseStatus.ExtensionPending or CaseStatus.Suspended;

    /// <summary>The case may be filed: a patrol report, or a public report that has been 核实'd.</summary>
    public bool Fileable => !NeedsVerification || Verified is not null;

    /// <summary>Replays events in order; null for an empty stream.</summary>
    public static CaseState? Fold(IEnumerable<CaseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        CaseState? state = null;
        foreach (var e in events) state = Apply(state, e);
        return state;
    }

    /// <summary>The state after one more event. Throws if the event does not follow (wrong case or sequence).</summary>
    public static CaseState Apply(CaseState? state, CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (state is null)
        {
            if (e is not CaseReported r || e.Seq != 1) throw new InvalidOperationException($"A case stream starts with a reported event at seq 1, not {e.Type} at {e.Seq}.");
            state = new CaseState
            {
                Id = e.CaseId,
                Kind = r.Kind,
                CategoryCode = r.CategoryCode,
                Urgency = r.Urgency,
                RegionCode = r.RegionCode,
                Description = r.Description,
                Latitude = r.Latitude,
                Longitude = r.Longitude,
                NeedsVerification = r.NeedsVerification,
                ReportedAt = e.At,
                ReportedBy = e.ActorName,
                Status = CaseStatus.Reported,
            };
        }
        else if (e.Seq != state.Version + 1 || !string.Equals(e.CaseId, state.Id, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Event {e.CaseId}#{e.Seq} does not follow {state.Id}#{state.Version}.");
        }

        var next = Specific(state, e) with
        {
            Version = e.Seq,
            Status = e.To,
            UpdatedAt = e.At,
            Limit = e.Limit,
            Deadline = e.Deadline,
            Attachments = e.Attachments.Count == 0 ? state.Attachments : [.. state.Attachments, .. e.Attachments],
        };
        next = next with { Step = StepOf(next) };
        if (next.Step != state.Step || e.Seq == 1)
        {
            // A new step starts its own clock: no pauses, not overdue, not escalated (the escalation was about the old step).
            next = NotOverdue(next) with { StepStartedAt = next.Step is null ? null : e.At, Pauses = [] };
        }
        return next;
    }

    private static CaseState Specific(CaseState s, CaseEvent e) => e switch
    {
        CaseReported => s,
        CaseVerificationRequested r => s with { Verifier = r.Worker ?? s.Verifier },
        CaseVerified v => s with { Verified = v.Confirmed },
        CaseFiled f => s with { Kind = f.Kind, CategoryCode = f.CategoryCode, Urgency = f.Urgency },
        CaseDispatched d => s with { Department = d.Department, CheckPassed = false },
        CaseCheckPassed => s with { CheckPassed = true },
        CaseCheckFailed f => s with { Department = f.Department, ReworkCount = f.ReworkCount, CheckPassed = false },
        CaseReturned => s with { Department = null },
        CaseExtensionRequested or CaseSuspended => s with
        {
            ResumeTo = s.Status,
            Pauses = [.. s.Pauses, new ClockPause(e.At, null)],
        },
        CaseExtensionApproved a => NotOverdue(Unpause(s, e.At)) with { ExtensionCount = a.ExtensionCount, ExtendedBy = s.ExtendedBy + a.Amount },
        CaseExtensionRejected or CaseResumed => Unpause(s, e.At),
        CaseSupervised => s with { SuperviseCount = s.SuperviseCount + 1 },
        CaseStepOverdue o => s with { Overdue = true, OverdueSince = o.Due },
        CaseEscalated x => s with { EscalationLevel = x.Level, EscalatedTo = x.ToRegionCode, EscalatedToLevel = x.ToRegionLevel, EscalatedAt = x.At },
        _ => s,
    };

    private static CaseState NotOverdue(CaseState s) => s with
    {
        Overdue = false,
        OverdueSince = null,
        EscalationLevel = 0,
        EscalatedTo = null,
        EscalatedToLevel = null,
        EscalatedAt = null,
    };

    private static CaseState Unpause(CaseState s, DateTimeOffset at) => s with
    {
        ResumeTo = null,
        Pauses = [.. s.Pauses.Select(p => p.To is null ? p with { To = at } : p)],
    };

    /// <summary>The timed step a case in this state is in (DOMAIN.md §3/§4); a pausing side state keeps its step.</summary>
    public static CaseStep? StepOf(CaseState s) => StepOf(s.IsPaused ? s.ResumeTo ?? s.Status : s.Status, s);

    private static CaseStep? StepOf(CaseStatus status, CaseState s) => status switch
    {
        CaseStatus.Reported => s.Fileable ? CaseStep.Filing : null,
        CaseStatus.Filed or CaseStatus.Returned => CaseStep.Dispatch,
        CaseStatus.Dispatched or CaseStatus.Handling => CaseStep.Handling,
        CaseStatus.Checking => s.CheckPassed ? null : CaseStep.Checking,
        _ => null,
    };
}
