using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// Where a case reports what happened to it, after the event is durable. The extension point for the
/// live feed (SignalR) and for 督办 escalation up the region chain on <see cref="StepOverdueAsync"/>;
/// implementations must be quick and must not call back into the same case synchronously.
/// </summary>
public interface ICaseNotifier
{
    Task CaseChangedAsync(CaseView view, CaseEvent change);

    Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue);
}

/// <summary>The default: logs transitions at debug level and overdue steps as warnings.</summary>
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Case {CaseId}: {Type} {From} -> {To} by {Actor}")]
    private static partial void LogChanged(ILogger logger, string caseId, string type, CaseStatus? from, CaseStatus to, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: step {Step} overdue since {Due} (region {Region}, department {Department})")]
    private static partial void LogOverdue(ILogger logger, string caseId, string step, DateTimeOffset due, string region, string? department);
}
