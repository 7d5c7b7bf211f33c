using System.Diagnostics.Metrics;

namespace GridGov.Realtime.Dashboard.Feed;

/// <summary>
/// Live-feed metrics on the "GridGov.Realtime.Dashboard" meter, and the same figures as plain totals
/// (<see cref="Snapshot"/>) for health pages and tests.
/// </summary>
public sealed class DashboardMetrics
{
    public const string MeterName = "GridGov.Realtime.Dashboard";

    private readonly Counter<long> _batches;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _drops;
    private long _batchCount, _positionCount, _messageCount, _coalescedCount, _dropCount;

    public DashboardMetrics(IMeterFactory meterFactory, FeedSubscriptions subscriptions)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("gridgov.dashboard.subscribers", () => subscriptions.Total, "{subscription}", "Connection × region-scope subscriptions");
        _batches = meter.CreateCounter<long>("gridgov.dashboard.position_batches", "{batch}", "Position batches sent to scope groups");
        _messages = meter.CreateCounter<long>("gridgov.dashboard.messages", "{message}", "Status, transition, alert and counter messages sent to scope groups");
        _coalesced = meter.CreateCounter<long>("gridgov.dashboard.positions.coalesced", "{fix}", "Fixes replaced by a newer fix of the same worker before a batch went out");
        _drops = meter.CreateCounter<long>("gridgov.dashboard.drops", "{update}", "Updates dropped because a queue or buffer was full or a scope's clients were too slow");
    }

    public DashboardStats Snapshot => new(
        Interlocked.Read(ref _batchCount),
        Interlocked.Read(ref _positionCount),
        Interlocked.Read(ref _messageCount),
        Interlocked.Read(ref _coalescedCount),
        Interlocked.Read(ref _dropCount));

    internal void BatchSent(int positions)
    {
        Interlocked.Increment(ref _batchCount);
        Interlocked.Add(ref _positionCount, positions);
        _batches.Add(1);
    }

    internal void MessageSent()
    {
        Interlocked.Increment(ref _messageCount);
        _messages.Add(1);
    }

    internal void Coalesced()
    {
        Interlocked.Increment(ref _coalescedCount);
        _coalesced.Add(1);
    }

    internal void Dropped(string reason, long count = 1)
    {
        Interlocked.Add(ref _dropCount, count);
        _drops.Add(count, new KeyValuePair<string, object?>("reason", reason));
    }
}

/// <summary>Totals since start.</summary>
public readonly record struct DashboardStats(long BatchesSent, long PositionsSent, long MessagesSent, long PositionsCoalesced, long Dropped);
