using GridGov.Realtime.Grains.Live;

namespace GridGov.Realtime.Grains.Sensors;

/// <summary>
/// An event a sensor raised by itself (<c>gridgov/v1/sensors/{id}/event</c>). <see cref="Ts"/> is Unix
/// milliseconds of the sensor's clock; <see cref="Severity"/> 1–5; <see cref="Media"/> references
/// (URLs or storage keys) of snapshots or clips, never the bytes.
/// </summary>
public sealed record SensorEvent(string Type, int Severity, long Ts, double? Lat, double? Lon, IReadOnlyList<string> Media);

/// <summary>A sensor's "still alive" (<c>gridgov/v1/sensors/{id}/heartbeat</c>); <see cref="Status"/> is free text such as "ok" or "low_battery".</summary>
public sealed record SensorHeartbeat(long Ts, string? Status);

/// <summary>Alert types raised by sensor grains (subject: the sensor id).</summary>
public static class SensorAlertTypes
{
    /// <summary>An event below its case threshold, or of an alert-only type. One per sensor and event type.</summary>
    public const string SensorEvent = "sensor_event";

    /// <summary>No heartbeat or event for the heartbeat timeout.</summary>
    public const string SensorOffline = "sensor_offline";
}

/// <summary>Per event type: the case or alert the current dedup window counts against.</summary>
public sealed class SensorWindow
{
    /// <summary>The case the window's events go to; null for an alert-only window.</summary>
    public string? CaseId { get; set; }

    /// <summary>The Report's request id (sensor + type + first event time): a redelivered first event reports once.</summary>
    public string? RequestId { get; set; }

    /// <summary>True once the case grain acknowledged the report.</summary>
    public bool Reported { get; set; }

    /// <summary>Sensor time (Unix ms) of the first and of the latest event counted.</summary>
    public long FirstTs { get; set; }
    public long LastTs { get; set; }

    /// <summary>Events counted in this window (the first one included).</summary>
    public int Count { get; set; }

    public int MaxSeverity { get; set; }

    /// <summary>Server time after which the next event of this type starts a new window.</summary>
    public DateTimeOffset WindowEnd { get; set; }
}

/// <summary>What a sensor grain persists: its open windows by event type, and whether it was last seen online.</summary>
public sealed class SensorState
{
    public Dictionary<string, SensorWindow> Windows { get; set; } = new(StringComparer.Ordinal);

    public bool Online { get; set; }

    public DateTimeOffset? LastContactAt { get; set; }
}

/// <summary>A sensor as its grain sees it. <c>ActiveAlerts</c>: <c>sensor_offline</c> and <c>sensor_event:{event type}</c>, sorted.</summary>
public sealed record SensorSnapshot(
    string SensorId,
    bool Known,
    bool Online,
    DateTimeOffset? LastContactAt,
    string? LastStatus,
    IReadOnlyList<SensorWindowView> Windows,
    IReadOnlyList<string> ActiveAlerts);

public sealed record SensorWindowView(string Type, string? CaseId, int Count, int MaxSeverity, DateTimeOffset WindowEnd);

/// <summary>Alert ids: <c>sensor:{sensorId}:{alert type}[:{event type}]</c>.</summary>
internal static class SensorAlerts
{
    public static string IdOf(string sensorId, string type, string? eventType = null) =>
        eventType is null ? $"sensor:{sensorId}:{type}" : $"sensor:{sensorId}:{type}:{eventType}";

    public static AlertSeverity OfflineSeverity => AlertSeverity.Warning;
}
