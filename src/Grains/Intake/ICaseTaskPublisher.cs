using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>
/// Where a task for a grid worker goes out: the host publishes it on the worker's terminal downlink
/// (<c>gridgov/v1/terminals/{workerId}/tasks</c>, QoS 1). Grains know nothing of the broker.
/// </summary>
public interface ICaseTaskPublisher
{
    ValueTask PublishAsync(string workerId, CaseTask task, CancellationToken cancellationToken = default);
}

/// <summary>The default when no broker is composed: logs what would be sent.</summary>
public sealed partial class LoggingCaseTaskPublisher(ILogger<LoggingCaseTaskPublisher> logger) : ICaseTaskPublisher
{
    public ValueTask PublishAsync(string workerId, CaseTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        LogTask(logger, task.Type, task.CaseId, workerId);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {Type} for case {CaseId} to worker {WorkerId} (no broker composed)")]
    private static partial void LogTask(ILogger logger, string type, string caseId, string workerId);
}
