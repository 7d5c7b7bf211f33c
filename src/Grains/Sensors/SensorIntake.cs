using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Sensors;

/// <summary>The two sensor uplink topics.</summary>
public enum SensorTopic
{
    Event,
    Heartbeat,
}

public enum SensorIntakeStatus
{
    /// <summary>Parsed and handed to the sensor grain (one-way): acknowledge.</summary>
    Accepted,

    /// <summary>The payload is not valid: MQTT 5.0 reason code 0x99 (payload format invalid).</summary>
    InvalidPayload,

    /// <summary>The sensor id is empty or too long: 0x90 (topic name invalid).</summary>
    InvalidSensor,

    /// <summary>No active sensor with this id is registered: 0x87 (not authorized).</summary>
    UnknownSensor,
}

public readonly record struct SensorIntakeResult(SensorIntakeStatus Status, string? Reason)
{
    public static SensorIntakeResult Accepted { get; } = new(SensorIntakeStatus.Accepted, null);

    public bool IsAccepted => Status == SensorIntakeStatus.Accepted;
}

/// <summary>
/// The uplink path for <c>gridgov/v1/sensors/{sensorId}/event|heartbeat</c>: check the sensor is registered
/// and active, parse, tell the sensor grain one-way. Never throws for anything a sensor sends.
/// </summary>
public sealed partial class SensorIntake(
    SensorPayloadParser parser,
    IWorkerDirectory directory,
    IGrainFactory grains,
    SensorMetrics metrics,
    ILogger<SensorIntake> logger)
{
    public const int MaxSensorIdLength = 64;

    public async ValueTask<SensorIntakeResult> HandleAsync(string sensorId, SensorTopic topic, ReadOnlyMemory<byte> payload)
    {
        if (string.IsNullOrEmpty(sensorId) || sensorId.Length > MaxSensorIdLength)
            return Reject(topic, SensorIntakeStatus.InvalidSensor, $"Sensor id must be 1–{MaxSensorIdLength} characters.");
        if (directory.FindSensor(sensorId) is not { Active: true })
            return Reject(topic, SensorIntakeStatus.UnknownSensor, $"No active sensor {sensorId} is registered.");
        switch (topic)
        {
            case SensorTopic.Event:
                if (!parser.TryParseEvent(payload.Span, out var e, out var error)) return Reject(topic, SensorIntakeStatus.InvalidPayload, error!);
                await grains.GetGrain<ISensorGrain>(sensorId).ReportEvent(e!);
                metrics.PayloadAccepted(topic);
                return SensorIntakeResult.Accepted;
            case SensorTopic.Heartbeat:
                if (!parser.TryParseHeartbeat(payload.Span, out var h, out error)) return Reject(topic, SensorIntakeStatus.InvalidPayload, error!);
                await grains.GetGrain<ISensorGrain>(sensorId).Heartbeat(h!);
                metrics.PayloadAccepted(topic);
                return SensorIntakeResult.Accepted;
            default:
                return Reject(topic, SensorIntakeStatus.InvalidPayload, $"Topic {topic} is not a sensor topic.");
        }
    }

    private SensorIntakeResult Reject(SensorTopic topic, SensorIntakeStatus status, string reason)
    {
        metrics.PayloadRejected(topic, status);
        LogRejected(logger, topic, status, reason);
        return new SensorIntakeResult(status, reason);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sensor {Topic} payload rejected ({Status}): {Reason}")]
    private static partial void LogRejected(ILogger logger, SensorTopic topic, SensorIntakeStatus status, string reason);
}
