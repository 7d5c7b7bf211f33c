using GridGov.Realtime.Edge.Packets;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Edge.Diagnostics;

internal static partial class EdgeLog
{
    [LoggerMessage(1, LogLevel.Debug, "MQTT client {ClientId} connected from {Remote} as {Principal} (v{Version}, clean {Clean}, session present {Present})")]
    public static partial void Connected(ILogger logger, string clientId, string remote, string principal, int version, bool clean, bool present);

    [LoggerMessage(2, LogLevel.Debug, "MQTT client {ClientId} disconnected ({Reason})")]
    public static partial void Disconnected(ILogger logger, string clientId, string reason);

    [LoggerMessage(3, LogLevel.Information, "MQTT CONNECT from {Remote} refused: {Code} (user {User})")]
    public static partial void ConnectRefused(ILogger logger, string remote, MqttReasonCode code, string? user);

    [LoggerMessage(4, LogLevel.Warning, "MQTT protocol violation from {Remote} ({ClientId}): {Code} {Message}")]
    public static partial void ProtocolViolation(ILogger logger, string remote, string? clientId, MqttReasonCode code, string? message);

    [LoggerMessage(5, LogLevel.Warning, "MQTT {ClientId} ({Principal}) may not {Action} '{Topic}'")]
    public static partial void Denied(ILogger logger, string clientId, string principal, string action, string topic);

    [LoggerMessage(6, LogLevel.Information, "MQTT session {ClientId} taken over by a new connection")]
    public static partial void TakenOver(ILogger logger, string clientId);

    [LoggerMessage(7, LogLevel.Warning, "MQTT {ClientId} is a slow subscriber ({Bytes} bytes queued); policy {Policy}")]
    public static partial void SlowSubscriber(ILogger logger, string clientId, long bytes, SlowSubscriberPolicy policy);

    [LoggerMessage(8, LogLevel.Error, "MQTT uplink handler failed for {ClientId} on '{Topic}'")]
    public static partial void UplinkFailed(ILogger logger, Exception exception, string clientId, string topic);

    [LoggerMessage(15, LogLevel.Warning, "MQTT publish from {ClientId} on '{Topic}' rejected ({Code}): {Reason}")]
    public static partial void UplinkRejected(ILogger logger, string clientId, string topic, MqttReasonCode code, string? reason);

    [LoggerMessage(9, LogLevel.Information, "MQTT connection from {Remote} refused: connection rate limit")]
    public static partial void RateLimited(ILogger logger, string remote);

    [LoggerMessage(10, LogLevel.Information, "MQTT connection from {Remote} closed: no CONNECT within {Timeout}")]
    public static partial void ConnectTimeout(ILogger logger, string remote, TimeSpan timeout);

    [LoggerMessage(11, LogLevel.Information, "MQTT {ClientId} closed: keep-alive of {KeepAlive}s exceeded by 1.5x")]
    public static partial void KeepAliveExpired(ILogger logger, string clientId, int keepAlive);

    [LoggerMessage(12, LogLevel.Debug, "MQTT session {ClientId} expired")]
    public static partial void SessionExpired(ILogger logger, string clientId);

    [LoggerMessage(13, LogLevel.Error, "MQTT connection loop of {ClientId} failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string? clientId);

    [LoggerMessage(14, LogLevel.Information, "MQTT edge listening: {Transport} on {Endpoint}")]
    public static partial void Listening(ILogger logger, string transport, string endpoint);

    [LoggerMessage(16, LogLevel.Information, "MQTT state restored: {Retained} retained messages, {Sessions} persistent sessions")]
    public static partial void StateRestored(ILogger logger, int retained, int sessions);

    [LoggerMessage(17, LogLevel.Error, "MQTT {ClientId}: a store write failed, so the packet is not acknowledged as durable")]
    public static partial void NotDurable(ILogger logger, Exception exception, string clientId);
}

/// <summary>
/// Lets through at most <see cref="PerWindow"/> log lines per second across the process, so a flood of bad input
/// cannot turn into a flood of log I/O. The metrics still count every event.
/// </summary>
internal sealed class LogRateLimiter(TimeProvider time)
{
    private const int PerWindow = 10;
    private long _windowStart;
    private int _count;

    public bool ShouldLog()
    {
        var now = time.GetTimestamp();
        var start = Volatile.Read(ref _windowStart);
        if (time.GetElapsedTime(start, now) >= TimeSpan.FromSeconds(1) && Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            Volatile.Write(ref _count, 0);
        }

        return Interlocked.Increment(ref _count) <= PerWindow;
    }
}
