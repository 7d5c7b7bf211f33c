using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// One of the case notifiers (<see cref="CaseNotifiers"/> calls each in turn): escalates cases to on-call
/// responders when they are reported or filed at <see cref="EscalationOptions.MinCaseUrgency"/> or above
/// (紧急, DOMAIN.md §4): filing may raise the urgency of a reported case. One escalation per case
/// ("case:{caseId}"), started one-way, so the case grain never waits on it and is never called back.
/// </summary>
public sealed class EscalatingCaseNotifier(IGrainFactory grains, IOptions<EscalationOptions> options) : ICaseNotifier
{
    private const int MaxSummaryLength = 200;

    public Task CaseChangedAsync(CaseView view, CaseEvent change)
    {
        ArgumentNullException.ThrowIfNull(view);
        var o = options.Value;
        if (!o.EscalateCases || change is not (CaseReported or CaseFiled) || view.Urgency < o.MinCaseUrgency) return Task.CompletedTask;
        if (view.Status is CaseStatus.Void or CaseStatus.Closed) return Task.CompletedTask;
        var summary = $"{view.CategoryName ?? view.CategoryCode}: {view.Description}";
        if (summary.Length > MaxSummaryLength) summary = summary[..MaxSummaryLength];
        var subject = new EscalationSubject(EscalationKinds.Case, view.Id, view.CategoryCode, summary, view.RegionCode, view.Urgency.ToString(),
            view.Latitude, view.Longitude, change.At);
        _ = grains.GetGrain<IEscalationGrain>(EscalationKinds.IdOf(EscalationKinds.Case, view.Id)).Start(subject);
        return Task.CompletedTask;
    }

    public Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue) => Task.CompletedTask;
}
