using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Edge.Persistence;

/// <summary>Store writes nobody waits for (PUBACK from a subscriber, a dropped message) still say when they fail.</summary>
internal static partial class StoreFailures
{
    public static void Observe(Task write, ILogger? logger, string? clientId)
    {
        if (logger is null)
        {
            _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return;
        }

        _ = write.ContinueWith(
            (t, state) => WriteFailed((ILogger)state!, t.Exception!.GetBaseException(), clientId ?? "(retained)"),
            logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    [LoggerMessage(40, LogLevel.Error, "MQTT state store write for {ClientId} failed; that change is not durable")]
    private static partial void WriteFailed(ILogger logger, Exception exception, string clientId);
}
