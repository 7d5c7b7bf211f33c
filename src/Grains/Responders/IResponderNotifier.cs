using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// Delivers an escalation to one responder's devices. The host publishes it over MQTT at QoS 1 on
/// <see cref="ResponderTopics.Escalations"/>, so a responder with a persistent session gets it on
/// reconnect; grains know nothing of the broker.
/// </summary>
public interface IResponderNotifier
{
    ValueTask NotifyAsync(string responder, EscalationNotice notice, CancellationToken cancellationToken = default);
}

/// <summary>The MQTT topics of responders (DESIGN.md topic scheme).</summary>
public static class ResponderTopics
{
    public const string Prefix = "gridgov/v1/responders/";

    /// <summary>Downlink: escalations awaiting acknowledgement.</summary>
    public static string Escalations(string userId) => $"{Prefix}{userId}/escalations";

    /// <summary>Uplink: <c>{"escalationId": "..."}</c> acknowledges.</summary>
    public static string Ack(string userId) => $"{Prefix}{userId}/ack";
}

/// <summary>The default when no broker is composed: logs what would be sent.</summary>
public sealed partial class LoggingResponderNotifier(ILogger<LoggingResponderNotifier> logger) : IResponderNotifier
{
    public ValueTask NotifyAsync(string responder, EscalationNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        LogNotify(logger, notice.EscalationId, responder, notice.DueAt);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation {EscalationId} sent to responder {Responder}, due {DueAt} (no broker composed)")]
    private static partial void LogNotify(ILogger logger, string escalationId, string responder, DateTimeOffset dueAt);
}
