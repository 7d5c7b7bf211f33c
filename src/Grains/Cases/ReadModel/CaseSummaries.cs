using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>Folds a case's events into its <see cref="CaseSummary"/>: the same function for the live projection and a rebuild.</summary>
public static class CaseSummaries
{
    /// <summary>
    /// Event types that mark a case escalated besides 督办 (<see cref="CaseSupervised"/>, DOMAIN.md §3 side
    /// flows). The extension point for escalation up the region chain: its event type name goes here
    /// ("escalated" is the name that work is expected to use), matched by the type discriminator so this
    /// projection needs no reference to the event's class.
    /// </summary>
    public static readonly IReadOnlySet<string> EscalationEventTypes = new HashSet<string>(StringComparer.Ordinal) { "escalated" };

    // The traffic light turns yellow at 80 % of the step limit (DOMAIN.md §4).
    private const decimal YellowShare = 0.8m;

    /// <summary>The summary of a case from its whole stream (in sequence order); null for an empty stream.</summary>
    public static CaseSummary? From(IReadOnlyList<CaseEvent> events, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(calendar);
        CaseState? state = null;
        DateTimeOffset? filed = null, dispatched = null, handled = null, closed = null;
        string? lastDepartment = null, verifiedBy = null, checkedBy = null;
        bool handlingOverdue = false, everOverdue = false, escalated = false, publicVerified = false;
        bool? checkOnTime = null;
        foreach (var e in events)
        {
            var before = state;
            state = CaseState.Apply(state, e);
            if (Late(before, state, e) is { } lateStep)
            {
                everOverdue = true;
                handlingOverdue |= lateStep == CaseStep.Handling;
            }
            switch (e)
            {
                case CaseFiled: filed ??= e.At; break;
                case CaseDispatched d: dispatched ??= e.At; lastDepartment = d.Department; break;
                case CaseFeedbackSubmitted: handled = e.At; break;
                case CaseVerified v: verifiedBy = e.ActorName; publicVerified = v.Confirmed && state.NeedsVerification; break;
                case CaseCheckPassed or CaseCheckFailed:
                    checkedBy = e.ActorName;
                    checkOnTime = before is not { Step: CaseStep.Checking } || Late(before, state, e) is null;
                    break;
                case CaseClosed: closed = e.At; break;
                case CaseSupervised: escalated = true; break;
            }
            escalated |= EscalationEventTypes.Contains(e.Type);
        }
        if (state is null) return null;
        var (yellowAt, pausedLight) = LightInputs(state, calendar);
        return new CaseSummary
        {
            CaseId = state.Id,
            Version = state.Version,
            Status = state.Status,
            Kind = state.Kind,
            CategoryCode = state.CategoryCode,
            Urgency = state.Urgency,
            RegionCode = state.RegionCode,
            Department = state.Department ?? lastDepartment,
            ReportedBy = state.ReportedBy,
            VerifiedBy = verifiedBy,
            CheckedBy = checkedBy,
            ReportedAt = state.ReportedAt,
            FiledAt = filed,
            DispatchedAt = dispatched,
            HandledAt = handled,
            ClosedAt = closed,
            UpdatedAt = state.UpdatedAt,
            Step = state.Step,
            Deadline = state.Deadline,
            YellowAt = yellowAt,
            PausedLight = pausedLight,
            NeedsVerification = state.NeedsVerification,
            PublicReportVerified = publicVerified,
            HandlingOverdue = handlingOverdue,
            EverOverdue = everOverdue,
            Overdue = state.Overdue,
            CheckOnTime = checkOnTime,
            ReworkCount = state.ReworkCount,
            Escalated = escalated,
        };
    }

    // The step that was late with this event: recorded overdue, or ended after its deadline (a transition
    // that beat the deadline reminder by a moment is still late).
    private static CaseStep? Late(CaseState? before, CaseState after, CaseEvent e)
    {
        if (e is CaseStepOverdue o) return o.OverdueStep;
        if (before is not { Step: { } step }) return null;
        var ended = after.Step != step || after.StepStartedAt != before.StepStartedAt;
        if (!ended) return null;
        return before.Overdue || before.Deadline is { } due && e.At > due ? step : null;
    }

    private static (DateTimeOffset? YellowAt, TrafficLight? PausedLight) LightInputs(CaseState s, WorkingCalendar calendar)
    {
        if (s is not { Step: not null, Limit: { } limit, StepStartedAt: { } start }) return (null, null);
        if (s.Deadline is not null)
            return (calendar.Deadline(start, new TimeLimit(limit.Amount * YellowShare, limit.Unit), s.Pauses), null);
        // Off the clock: the light the open pause froze.
        var pausedAt = s.Pauses.Count > 0 ? s.Pauses[^1].From : s.UpdatedAt;
        return (null, calendar.Light(start, pausedAt, limit, s.Pauses));
    }
}
