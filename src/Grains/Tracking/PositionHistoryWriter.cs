using GridGov.Realtime.Actors.Concurrency;
using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>
/// Position history in the SQLite file. Appends queue in a bounded channel; one loop takes everything
/// queued (optionally waiting <see cref="PositionHistoryOptions.FlushInterval"/> for more) and inserts it
/// with one prepared statement inside a single <see cref="SqliteDatabase.WriteAsync{T}"/>, then completes
/// every append of the batch after COMMIT. Retention deletes expired rows in small transactions on a timer.
/// </summary>
public sealed partial class PositionHistoryWriter : IPositionHistory, IHostedService, IAsyncDisposable
{
    public static readonly SqliteMigration Migration = new("tracking", 1, "position history", """
        CREATE TABLE positions (
            worker_id TEXT    NOT NULL,
            ts_ms     INTEGER NOT NULL,
            lat       REAL    NOT NULL,
            lon       REAL    NOT NULL,
            acc       REAL    NULL,
            spd       REAL    NULL,
            hdg       REAL    NULL,
            bat       INTEGER NULL,
            grid_code TEXT    NULL
        );
        CREATE INDEX positions_worker_ts ON positions (worker_id, ts_ms);
        """);

    private const string InsertSql =
        "INSERT INTO positions (worker_id, ts_ms, lat, lon, acc, spd, hdg, bat, grid_code) VALUES ($w, $t, $la, $lo, $a, $s, $h, $b, $g)";

    // Table order is insertion order, which is roughly time order, so expired rows are found first and the
    // LIMIT ends the scan early; no separate ts index is paid for on every insert.
    private const string PurgeSql = "DELETE FROM positions WHERE rowid IN (SELECT rowid FROM positions WHERE ts_ms < $cutoff LIMIT $n)";

    private readonly SqliteDatabase _database;
    private readonly PositionHistoryOptions _options;
    private readonly TimeProvider _time;
    private readonly TrackingMetrics _metrics;
    private readonly ILogger<PositionHistoryWriter> _logger;
    private readonly BatchQueue<PendingAppend> _queue;
    private readonly List<PendingAppend> _batch = [];
    private Task? _loop;
    private ITimer? _retention;
    private int _purging;

    public PositionHistoryWriter(SqliteDatabase database, IOptions<PositionHistoryOptions> options, TimeProvider time, TrackingMetrics metrics, ILogger<PositionHistoryWriter> logger)
    {
        _database = database;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _queue = new BatchQueue<PendingAppend>(_options.QueueCapacity);
    }

    /// <summary>Commits performed so far (for tests and diagnostics).</summary>
    public int Transactions { get; private set; }

    public Task AppendAsync(string workerId, PositionFix[] fixes, string?[] gridCodes, CancellationToken cancellationToken = default)
    {
        if (fixes.Length != gridCodes.Length) throw new ArgumentException("One grid code per fix.", nameof(gridCodes));
        if (fixes.Length == 0) return Task.CompletedTask;
        var pending = new PendingAppend(workerId, fixes, gridCodes);
        if (_queue.TryEnqueue(pending)) return pending.Task;
        return EnqueueSlowAsync(pending, cancellationToken);
    }

    private async Task EnqueueSlowAsync(PendingAppend pending, CancellationToken cancellationToken)
    {
        await _queue.EnqueueAsync(pending, cancellationToken);
        await pending.Task;
    }

    public Task<IReadOnlyList<StoredFix>> ReadAsync(string workerId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default) =>
        Task.Run<IReadOnlyList<StoredFix>>(() => _database.Read(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                SELECT ts_ms, lat, lon, acc, spd, hdg, bat, grid_code FROM positions
                WHERE worker_id = $w AND ts_ms >= $f AND ts_ms < $t ORDER BY ts_ms, rowid LIMIT $n
                """;
            cmd.Parameters.AddWithValue("$w", workerId);
            cmd.Parameters.AddWithValue("$f", from.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$t", to.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$n", Math.Min(limit, _options.MaxReadRows));
            using var reader = cmd.ExecuteReader();
            var rows = new List<StoredFix>();
            while (reader.Read())
            {
                rows.Add(new StoredFix(
                    new PositionFix(reader.GetDouble(1), reader.GetDouble(2), NullableDouble(reader, 3), NullableDouble(reader, 4), NullableDouble(reader, 5),
                        reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetInt64(0)),
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
            return rows;
        }), cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _database.InitializeAsync(cancellationToken);
        _loop ??= Task.Run(RunAsync, CancellationToken.None);
        if (_options.RetentionDays > 0 && _retention is null)
        {
            _retention = _time.CreateTimer(static s => _ = ((PositionHistoryWriter)s!).PurgeTickAsync(), this, _options.RetentionSweepInterval, _options.RetentionSweepInterval);
        }
    }

    /// <summary>Stops taking appends and commits everything already queued.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _retention?.Dispose();
        _queue.Complete();
        if (_loop is not null) await _loop;
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Deletes rows older than the retention period, a small transaction at a time. Returns the rows deleted.</summary>
    public async Task<long> PurgeExpiredAsync()
    {
        if (_options.RetentionDays <= 0) return 0;
        var cutoff = (_time.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays)).ToUnixTimeMilliseconds();
        var batch = _options.RetentionDeleteBatch;
        long total = 0;
        while (true)
        {
            var deleted = await _database.WriteAsync(ctx =>
            {
                var cmd = ctx.Command(PurgeSql);
                cmd.Parameters.AddWithValue("$cutoff", cutoff);
                cmd.Parameters.AddWithValue("$n", batch);
                return cmd.ExecuteNonQuery();
            });
            total += deleted;
            if (deleted < batch) break;
        }
        if (total > 0) _metrics.HistoryPurged(total);
        return total;
    }

    private async Task PurgeTickAsync()
    {
        if (Interlocked.Exchange(ref _purging, 1) == 1) return;
        try
        {
            await PurgeExpiredAsync();
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            LogPurgeFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _purging, 0);
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue;
        var max = _options.MaxRowsPerTransaction;
        while (await reader.WaitToReadAsync())
        {
            var rows = Drain(reader, max, 0);
            if (rows < max && _options.FlushInterval > TimeSpan.Zero)
            {
                await Task.Delay(_options.FlushInterval, _time);
                rows = Drain(reader, max, rows);
            }
            await CommitAsync(rows);
            _batch.Clear();
        }
    }

    private int Drain(BatchQueue<PendingAppend> reader, int max, int rows)
    {
        while (rows < max && reader.TryDequeue(out var pending))
        {
            _batch.Add(pending);
            rows += pending.Fixes.Length;
        }
        return rows;
    }

    private async Task CommitAsync(int rows)
    {
        try
        {
            await _database.WriteAsync(Insert);
            Transactions++;
            _metrics.HistoryCommitted(rows);
            foreach (var p in _batch) p.Complete(null);
        }
        catch (Exception ex)
        {
            // Every append of the batch learns it failed, so intake refuses the acknowledgement; the loop goes on.
            _metrics.HistoryFailed();
            LogBatchFailed(_logger, ex, rows);
            foreach (var p in _batch) p.Complete(ex);
        }
    }

    private int Insert(SqliteWriteContext ctx)
    {
        // Bound by position: $w, $t, $la, $lo, $a, $s, $h, $b, $g are parameters 1..9 of InsertSql.
        var insert = ctx.Statement(InsertSql);
        var count = 0;
        foreach (var p in _batch)
        {
            for (var i = 0; i < p.Fixes.Length; i++)
            {
                ref readonly var f = ref p.Fixes[i];
                insert.Bind(1, p.WorkerId);
                insert.Bind(2, f.Ts);
                insert.Bind(3, f.Lat);
                insert.Bind(4, f.Lon);
                insert.Bind(5, f.Acc);
                insert.Bind(6, f.Spd);
                insert.Bind(7, f.Hdg);
                insert.Bind(8, f.Bat);
                insert.Bind(9, p.GridCodes[i]);
                insert.Execute();
                count++;
            }
        }
        return count;
    }

    private static double? NullableDouble(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);

    private sealed class PendingAppend(string workerId, PositionFix[] fixes, string?[] gridCodes)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string WorkerId { get; } = workerId;
        public PositionFix[] Fixes { get; } = fixes;
        public string?[] GridCodes { get; } = gridCodes;
        public Task Task => _done.Task;

        public void Complete(Exception? error)
        {
            if (error is null) _done.TrySetResult();
            else _done.TrySetException(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Position history batch of {Rows} rows failed to commit; its appends are reported failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Position history retention sweep failed; it runs again at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
