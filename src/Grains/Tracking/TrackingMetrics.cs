using System.Diagnostics.Metrics;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>Counters of every tracking stage, meter <see cref="MeterName"/>.</summary>
public sealed class TrackingMetrics
{
    public const string MeterName = "GridGov.Realtime.Tracking";

    private static readonly KeyValuePair<string, object?> Duplicate = new("reason", "duplicate");
    private static readonly KeyValuePair<string, object?> OutOfOrder = new("reason", "out_of_order");
    private static readonly KeyValuePair<string, object?> Implausible = new("reason", "implausible");

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _payloadsAccepted;
    private readonly Counter<long> _payloadsRejected;
    private readonly Counter<long> _alertsRaised;
    private readonly Counter<long> _alertsCleared;
    private readonly Counter<long> _historyRows;
    private readonly Histogram<long> _historyBatch;
    private readonly Counter<long> _historyFailures;
    private readonly Counter<long> _historyPurged;

    public TrackingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("gridgov.tracking.fixes.accepted", "{fix}", "Fixes the worker grains accepted.");
        _dropped = meter.CreateCounter<long>("gridgov.tracking.fixes.dropped", "{fix}", "Fixes filtered out, by reason (duplicate, out_of_order, implausible).");
        _payloadsAccepted = meter.CreateCounter<long>("gridgov.tracking.payloads.accepted", "{payload}", "Terminal payloads parsed and made durable.");
        _payloadsRejected = meter.CreateCounter<long>("gridgov.tracking.payloads.rejected", "{payload}", "Terminal payloads rejected, by reason (invalid, storage).");
        _alertsRaised = meter.CreateCounter<long>("gridgov.tracking.alerts.raised", "{alert}", "Worker alerts raised, by type.");
        _alertsCleared = meter.CreateCounter<long>("gridgov.tracking.alerts.cleared", "{alert}", "Worker alerts cleared, by type.");
        _historyRows = meter.CreateCounter<long>("gridgov.tracking.history.rows", "{row}", "Position rows committed to history.");
        _historyBatch = meter.CreateHistogram<long>("gridgov.tracking.history.batch_rows", "{row}", "Rows per history transaction.");
        _historyFailures = meter.CreateCounter<long>("gridgov.tracking.history.failures", "{batch}", "History batches that failed to commit.");
        _historyPurged = meter.CreateCounter<long>("gridgov.tracking.history.purged", "{row}", "Rows deleted by retention.");
    }

    public void FixAccepted() => _accepted.Add(1);

    public void FixesAccepted(int count) => _accepted.Add(count);

    public void FixDropped(FixVerdict verdict) => _dropped.Add(1, verdict switch
    {
        FixVerdict.Duplicate => Duplicate,
        FixVerdict.OutOfOrder => OutOfOrder,
        _ => Implausible,
    });

    public void PayloadAccepted(TerminalTopic topic) => _payloadsAccepted.Add(1, new KeyValuePair<string, object?>("topic", TopicTag(topic)));

    public void PayloadRejected(TerminalTopic topic, string reason) =>
        _payloadsRejected.Add(1, new KeyValuePair<string, object?>("topic", TopicTag(topic)), new KeyValuePair<string, object?>("reason", reason));

    public void AlertRaised(string type) => _alertsRaised.Add(1, new KeyValuePair<string, object?>("type", type));

    public void AlertCleared(string type) => _alertsCleared.Add(1, new KeyValuePair<string, object?>("type", type));

    public void HistoryCommitted(int rows)
    {
        _historyRows.Add(rows);
        _historyBatch.Record(rows);
    }

    public void HistoryFailed() => _historyFailures.Add(1);

    public void HistoryPurged(long rows) => _historyPurged.Add(rows);

    private static string TopicTag(TerminalTopic topic) => topic == TerminalTopic.Sos ? "sos" : "position";
}
