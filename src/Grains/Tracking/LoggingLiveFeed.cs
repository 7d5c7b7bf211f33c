using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>
/// The live feed used when no dashboard is composed in (registered with TryAdd, so the SignalR one wins):
/// drops positions, counters and cases (the case notifiers log those), logs status changes and alerts at debug level.
/// </summary>
internal sealed partial class LoggingLiveFeed(ILogger<LoggingLiveFeed> logger) : ILiveFeed
{
    public void PositionChanged(WorkerPositionUpdate update) { }

    public void CountersChanged(RegionCountersUpdate update) { }

    public void WorkerStatusChanged(WorkerStatusUpdate update) => LogStatus(logger, update.WorkerId, update.Previous, update.Status);

    public void GridTransition(GridTransitionUpdate update) { }

    public void AlertChanged(AlertUpdate update) => LogAlert(logger, update.Type, update.Subject, update.Active);

    public void WarningChanged(WarningUpdate update) => LogWarning(logger, update.WarningId, update.RegionCode, update.Action, update.Level);

    // The case notifiers log cases themselves (LoggingCaseNotifier); nothing to add here.
    public void CaseChanged(CaseUpdate update) { }

    public void CaseEscalated(CaseEscalationUpdate update) { }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {WorkerId}: {Previous} → {Status}")]
    private static partial void LogStatus(ILogger logger, string workerId, WorkerStatus previous, WorkerStatus status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert {Type} of {Subject} active={Active}")]
    private static partial void LogAlert(ILogger logger, string type, string subject, bool active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warning {WarningId} of region {RegionCode}: {Action}, level {Level}")]
    private static partial void LogWarning(ILogger logger, string warningId, string regionCode, string action, GridGov.Realtime.Grains.Warnings.WarningLevel level);
}
