using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>Append-only position history: the durable record behind track replay and patrol assessment.</summary>
public interface IPositionHistory
{
    /// <summary>
    /// Queues a payload's fixes (with the grid each fix is in, same length) and completes once they are
    /// committed, so the caller may acknowledge the terminal only then. Faults if the write failed.
    /// </summary>
    Task AppendAsync(string workerId, PositionFix[] fixes, string?[] gridCodes, CancellationToken cancellationToken = default);

    /// <summary>A worker's fixes with from ≤ ts &lt; to, by timestamp, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredFix>> ReadAsync(string workerId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default);
}

public readonly record struct StoredFix(PositionFix Fix, string? GridCode);

/// <summary>Settings of the position history, section <see cref="SectionName"/>.</summary>
public sealed class PositionHistoryOptions
{
    public const string SectionName = "Tracking:History";
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.Zero;
    public const int DefaultMaxRowsPerTransaction = 20_000;
    public const int DefaultQueueCapacity = 20_000;
    public const int DefaultRetentionDays = 90;
    public static readonly TimeSpan DefaultRetentionSweepInterval = TimeSpan.FromHours(1);
    public const int DefaultRetentionDeleteBatch = 5_000;
    public const int DefaultMaxReadRows = 200_000;

    /// <summary>
    /// After the first pending append, wait this long for more before committing (0, the default: commit what
    /// is queued as soon as the writer is idle). Under load the queue fills while the previous commit runs, so
    /// batches are large anyway; a wait only trades acknowledgement latency for fewer fsyncs at low rates, and
    /// it caps every terminal at one window of fixes per interval.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = DefaultFlushInterval;

    public int MaxRowsPerTransaction { get; set; } = DefaultMaxRowsPerTransaction;

    /// <summary>Appends (payloads) waiting for the writer; beyond it AppendAsync waits (back-pressure on intake).</summary>
    public int QueueCapacity { get; set; } = DefaultQueueCapacity;

    /// <summary>Rows older than this many days are deleted; 0 keeps everything.</summary>
    public int RetentionDays { get; set; } = DefaultRetentionDays;

    public TimeSpan RetentionSweepInterval { get; set; } = DefaultRetentionSweepInterval;

    /// <summary>Rows deleted per transaction by retention, so it never holds the writer for long.</summary>
    public int RetentionDeleteBatch { get; set; } = DefaultRetentionDeleteBatch;

    /// <summary>Most rows one track or patrol query reads.</summary>
    public int MaxReadRows { get; set; } = DefaultMaxReadRows;
}

internal sealed class PositionHistoryOptionsValidator : IValidateOptions<PositionHistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, PositionHistoryOptions o)
    {
        var errors = new List<string>();
        if (o.FlushInterval < TimeSpan.Zero || o.FlushInterval > TimeSpan.FromSeconds(5)) errors.Add("Tracking:History:FlushInterval must be within 0–5 s.");
        if (o.MaxRowsPerTransaction is < 1 or > 1_000_000) errors.Add("Tracking:History:MaxRowsPerTransaction must be within 1–1000000.");
        if (o.QueueCapacity is < 1 or > 10_000_000) errors.Add("Tracking:History:QueueCapacity must be within 1–10000000.");
        if (o.RetentionDays < 0) errors.Add("Tracking:History:RetentionDays must not be negative (0 keeps everything).");
        if (o.RetentionSweepInterval < TimeSpan.FromSeconds(1)) errors.Add("Tracking:History:RetentionSweepInterval must be at least 1 s.");
        if (o.RetentionDeleteBatch is < 1 or > 1_000_000) errors.Add("Tracking:History:RetentionDeleteBatch must be within 1–1000000.");
        if (o.MaxReadRows < 1) errors.Add("Tracking:History:MaxReadRows must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Process-memory history for tests and demos: appends are "durable" at once.</summary>
public sealed class InMemoryPositionHistory : IPositionHistory
{
    private readonly ConcurrentDictionary<string, List<StoredFix>> _rows = new(StringComparer.Ordinal);

    public int Count => _rows.Values.Sum(l => { lock (l) return l.Count; });

    public Task AppendAsync(string workerId, PositionFix[] fixes, string?[] gridCodes, CancellationToken cancellationToken = default)
    {
        var list = _rows.GetOrAdd(workerId, static _ => []);
        lock (list)
        {
            for (var i = 0; i < fixes.Length; i++) list.Add(new StoredFix(fixes[i], gridCodes[i]));
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredFix>> ReadAsync(string workerId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        if (!_rows.TryGetValue(workerId, out var list)) return Task.FromResult<IReadOnlyList<StoredFix>>([]);
        long f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds();
        lock (list)
        {
            return Task.FromResult<IReadOnlyList<StoredFix>>(
                [.. list.Where(r => r.Fix.Ts >= f && r.Fix.Ts < t).OrderBy(r => r.Fix.Ts).Take(limit)]);
        }
    }
}
