using System.Diagnostics.Metrics;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Diagnostics;

/// <summary>Why a message was not delivered; the "reason" tag of edge.messages.dropped.</summary>
internal enum DropReason
{
    QueueFull,
    OfflineQoS0,
    Expired,
    SlowSubscriber,
    PacketTooLarge,
    NotAuthorized,
    RetainedQuota,
    PayloadFormatInvalid,
    RejectedByHandler,
}

/// <summary>The edge's instruments (meter "GridGov.Realtime.Edge").</summary>
internal sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "GridGov.Realtime.Edge";

    private static readonly KeyValuePair<string, object?>[] s_qosTags = [new("qos", 0), new("qos", 1), new("qos", 2)];
    private static readonly KeyValuePair<string, object?>[] s_dropTags =
        Enum.GetValues<DropReason>().Select(r => new KeyValuePair<string, object?>("reason", r.ToString())).ToArray();

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _connectionsAccepted;
    private readonly Counter<long> _connectionsRejected;
    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _messagesOut;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _protocolErrors;

    public EdgeMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _connections = _meter.CreateUpDownCounter<long>("edge.connections", "{connection}", "Open MQTT connections");
        _connectionsAccepted = _meter.CreateCounter<long>("edge.connections.accepted", "{connection}", "CONNECTs accepted");
        _connectionsRejected = _meter.CreateCounter<long>("edge.connections.rejected", "{connection}", "Connections refused, by reason code");
        _messagesIn = _meter.CreateCounter<long>("edge.messages.in", "{message}", "PUBLISH received from clients, by QoS");
        _messagesOut = _meter.CreateCounter<long>("edge.messages.out", "{message}", "PUBLISH sent to clients, by QoS");
        _dropped = _meter.CreateCounter<long>("edge.messages.dropped", "{message}", "Messages not delivered, by reason");
        _bytesIn = _meter.CreateCounter<long>("edge.bytes.in", "By", "Bytes read from clients");
        _bytesOut = _meter.CreateCounter<long>("edge.bytes.out", "By", "Bytes written to clients");
        _protocolErrors = _meter.CreateCounter<long>("edge.protocol_errors", "{error}", "Connections closed for a protocol violation");
    }

    public Meter Meter => _meter;

    /// <summary>Sessions, queue depth and message pool are observed from the broker.</summary>
    public void ObserveBroker(Func<int> sessions, Func<long> queued, Func<int> retained, Func<long> held, Func<int> pooled)
    {
        // Held should follow queue depth back to zero when queues empty; one that only grows is a missed release.
        _meter.CreateObservableGauge("edge.messages.held", held, "{message}", "Pooled client messages referenced by queues, in-flight windows or handlers");
        _meter.CreateObservableGauge("edge.messages.pooled", pooled, "{message}", "Message objects waiting in the pool for reuse");
        _meter.CreateObservableGauge("edge.sessions", sessions, "{session}", "Sessions held (connected and persistent)");
        _meter.CreateObservableGauge("edge.queue.depth", queued, "{message}", "Messages queued or in flight to clients");
        _meter.CreateObservableGauge("edge.retained", retained, "{message}", "Retained messages held");
    }

    public void ConnectionOpened() => _connections.Add(1);
    public void ConnectionClosed() => _connections.Add(-1);
    public void Accepted() => _connectionsAccepted.Add(1);
    public void Rejected(MqttReasonCode code) => _connectionsRejected.Add(1, new KeyValuePair<string, object?>("reason", code.ToString()));
    public void MessageIn(MqttQualityOfService qos) => _messagesIn.Add(1, s_qosTags[(int)qos]);
    public void MessageOut(MqttQualityOfService qos) => _messagesOut.Add(1, s_qosTags[(int)qos]);
    public void Dropped(DropReason reason) => _dropped.Add(1, s_dropTags[(int)reason]);
    public void BytesIn(long bytes) => _bytesIn.Add(bytes);
    public void BytesOut(long bytes) => _bytesOut.Add(bytes);
    public void ProtocolError() => _protocolErrors.Add(1);

    public void Dispose() => _meter.Dispose();
}
