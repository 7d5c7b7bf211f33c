using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>
/// Where a region's current warning goes out to devices and users: the host publishes it as the retained
/// MQTT message on <see cref="WarningTopics.For"/> (null clears it). Grains know nothing of the broker.
/// </summary>
public interface IWarningPublisher
{
    ValueTask PublishAsync(string regionCode, RegionWarningSignal? current, CancellationToken cancellationToken = default);
}

/// <summary>The default when no broker is composed: logs what would be published.</summary>
public sealed partial class LoggingWarningPublisher(ILogger<LoggingWarningPublisher> logger) : IWarningPublisher
{
    public ValueTask PublishAsync(string regionCode, RegionWarningSignal? current, CancellationToken cancellationToken = default)
    {
        LogPublish(logger, regionCode, current?.Level);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warning of region {RegionCode} is now {Level} (none when empty; no broker composed)")]
    private static partial void LogPublish(ILogger logger, string regionCode, WarningLevel? level);
}
