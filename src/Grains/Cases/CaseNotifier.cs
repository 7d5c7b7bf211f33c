using GridGov.Realtime.Grains.Geo;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// Where a case reports what happened to it, after the event is durable. Every registered notifier hears
/// every event (see <see cref="CaseNotifiers"/>): the log, the live feed (<see cref="LiveCaseNotifier"/>) and
/// whatever else is registered with <c>TryAddEnumerable</c> (e.g. paging on-call responders on
/// <see cref="CaseEscalatedAsync"/>). Implementations must be quick and must not call back into the same case
/// synchronously.
/// </summary>
public interface ICaseNotifier
{
    Task CaseChangedAsync(CaseView view, CaseEvent change);

    Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue);

    /// <summary>
    /// The case was escalated (督办) to <see cref="CaseEscalated.ToRegionCode"/>; <paramref name="view"/> already shows it.
    /// A notifier with nothing special to do for an escalation treats it as any other change.
    /// </summary>
    Task CaseEscalatedAsync(CaseView view, CaseEscalated escalated) => CaseChangedAsync(view, escalated);
}

/// <summary>Always registered: logs transitions at debug level, overdue steps and escalations as warnings.</summary>
public sealed partial class LoggingCaseNotifier(ILogger<LoggingCaseNotifier> logger) : ICaseNotifier
{
    public Task CaseChangedAsync(CaseView view, CaseEvent change)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(change);
        LogChanged(logger, view.Id, change.Type, change.From, change.To, change.ActorName);
        return Task.CompletedTask;
    }

    public Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(overdue);
        LogOverdue(logger, view.Id, overdue.OverdueStep.ToString(), overdue.Due, view.RegionCode, view.Department);
        return Task.CompletedTask;
    }

    public Task CaseEscalatedAsync(CaseView view, CaseEscalated escalated)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(escalated);
        LogEscalated(logger, view.Id, escalated.Level, escalated.ToRegionLevel.ToWireName(), escalated.ToRegionCode, escalated.Reason);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Case {CaseId}: {Type} {From} -> {To} by {Actor}")]
    private static partial void LogChanged(ILogger logger, string caseId, string type, CaseStatus? from, CaseStatus to, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: step {Step} overdue since {Due} (region {Region}, department {Department})")]
    private static partial void LogOverdue(ILogger logger, string caseId, string step, DateTimeOffset due, string region, string? department);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: escalated (督办 level {Level}) to {RegionLevel} {RegionCode}: {Reason}")]
    private static partial void LogEscalated(ILogger logger, string caseId, int level, string regionLevel, string regionCode, string reason);
}
