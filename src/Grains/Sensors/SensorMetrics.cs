using System.Diagnostics.Metrics;

namespace GridGov.Realtime.Grains.Sensors;

/// <summary>Counters of the sensor pipeline, meter <see cref="MeterName"/>.</summary>
public sealed class SensorMetrics
{
    public const string MeterName = "GridGov.Realtime.Sensors";

    private readonly Counter<long> _payloadsAccepted;
    private readonly Counter<long> _payloadsRejected;
    private readonly Counter<long> _events;
    private readonly Counter<long> _alertsRaised;
    private readonly Counter<long> _alertsCleared;

    public SensorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _payloadsAccepted = meter.CreateCounter<long>("gridgov.sensors.payloads.accepted", "{payload}", "Sensor payloads parsed and handed to the sensor grain, by topic.");
        _payloadsRejected = meter.CreateCounter<long>("gridgov.sensors.payloads.rejected", "{payload}", "Sensor payloads rejected, by topic and reason (invalid, unknown_sensor, sensor_id).");
        _events = meter.CreateCounter<long>("gridgov.sensors.events", "{event}", "Sensor events by outcome (case_opened, case_repeat, alert, alert_repeat, duplicate).");
        _alertsRaised = meter.CreateCounter<long>("gridgov.sensors.alerts.raised", "{alert}", "Sensor alerts raised, by type.");
        _alertsCleared = meter.CreateCounter<long>("gridgov.sensors.alerts.cleared", "{alert}", "Sensor alerts cleared, by type.");
    }

    public void PayloadAccepted(SensorTopic topic) => _payloadsAccepted.Add(1, Topic(topic));

    public void PayloadRejected(SensorTopic topic, SensorIntakeStatus status) => _payloadsRejected.Add(1, Topic(topic), new("reason", status switch
    {
        SensorIntakeStatus.UnknownSensor => "unknown_sensor",
        SensorIntakeStatus.InvalidSensor => "sensor_id",
        _ => "invalid",
    }));

    public void Event(string outcome) => _events.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void AlertRaised(string type) => _alertsRaised.Add(1, new KeyValuePair<string, object?>("type", type));

    public void AlertCleared(string type) => _alertsCleared.Add(1, new KeyValuePair<string, object?>("type", type));

    private static KeyValuePair<string, object?> Topic(SensorTopic topic) => new("topic", topic == SensorTopic.Event ? "event" : "heartbeat");
}
