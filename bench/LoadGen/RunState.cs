using System.Collections.Concurrent;

namespace GridGov.Realtime.LoadGen;

/// <summary>Run-wide flags and histograms shared by every connection. Flags are written by the orchestrator only.</summary>
public sealed class RunState
{
    private const int Stripes = 8;
    private int _lost;

    public RunState(bool latencyInPayload)
    {
        LatencyInPayload = latencyInPayload;
        for (var i = 0; i < Stripes; i++)
        {
            EndToEnd[i] = new Histogram();
            AckLatency[i] = new Histogram();
        }
    }

    /// <summary>Payloads start with the publisher's Stopwatch timestamp (8 bytes, little endian).</summary>
    public bool LatencyInPayload { get; }

    /// <summary>True during the measured window: latencies are recorded only then.</summary>
    public volatile bool Recording;

    private volatile bool _stopPublishing;

    /// <summary>Publishers send nothing new once set (end of the measured window); outstanding acks still drain.</summary>
    public bool StopPublishing
    {
        get => _stopPublishing;
        set
        {
            _stopPublishing = value;
            if (value)
            {
                _backlogDrained.Release();   // publishers paused on the backlog stop instead of waiting for deliveries
            }
        }
    }

    /// <summary>Set before closing connections on purpose, so closes are not reported as failures.</summary>
    public volatile bool ShuttingDown;

    /// <summary>
    /// End-to-end flow control for pubsub: publishers pause while more than this many messages per subscriber are
    /// published but not yet delivered (0 = off). Without it, a broker that PUBACKs faster than it delivers
    /// queues without bound (and mosquitto drops beyond max_queued_messages), which measures the queue, not the broker.
    /// </summary>
    public long MaxBacklog { get; init; }

    public int SubscriberCount { get; init; }

    private long _totalPublished;
    private long _totalDelivered;
    private readonly AsyncSignal _backlogDrained = new();

    public void AddPublished(int n) => Interlocked.Add(ref _totalPublished, n);

    /// <summary>Counts deliveries; wakes publishers paused on a full backlog once it is back within the bound.</summary>
    public void AddDelivered(long n)
    {
        Interlocked.Add(ref _totalDelivered, n);
        if (_backlogDrained.HasWaiters && !BacklogFull)
        {
            _backlogDrained.Release();
        }
    }

    /// <summary>
    /// Completes when the backlog is within <see cref="MaxBacklog"/> or publishing stops: woken by the subscribers'
    /// deliveries (<see cref="AddDelivered"/>), not by polling.
    /// </summary>
    public async Task WaitForBacklogAsync()
    {
        while (BacklogFull && !StopPublishing)
        {
            var drained = _backlogDrained.WaitAsync();
            if (!BacklogFull || StopPublishing)
            {
                return;
            }

            await drained.ConfigureAwait(false);
        }
    }

    public bool BacklogFull => MaxBacklog > 0 && SubscriberCount > 0 &&
        Volatile.Read(ref _totalPublished) * SubscriberCount - Volatile.Read(ref _totalDelivered) > MaxBacklog * SubscriberCount;

    public Histogram[] EndToEnd { get; } = new Histogram[Stripes];
    public Histogram[] AckLatency { get; } = new Histogram[Stripes];

    /// <summary>Connections lost during the run (not on purpose), with the first few reasons.</summary>
    public int Lost => Volatile.Read(ref _lost);

    public ConcurrentQueue<string> Errors { get; } = new();

    public Histogram EndToEndFor(int index) => EndToEnd[index % Stripes];

    public Histogram AckFor(int index) => AckLatency[index % Stripes];

    public void ReportLost(string reason)
    {
        if (Interlocked.Increment(ref _lost) <= 20)
        {
            Errors.Enqueue(reason);
        }
    }

    public static Histogram Merge(Histogram[] stripes)
    {
        var all = new Histogram();
        foreach (var h in stripes)
        {
            all.Add(h);
        }

        return all;
    }
}
