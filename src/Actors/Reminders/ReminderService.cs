using GridGov.Realtime.Actors.Runtime;
using GridGov.Realtime.Actors.Storage;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Actors.Reminders;

/// <summary>
/// Durable reminders. Rows live in the reminder table; in memory a priority queue orders them by next
/// due time and one timer on the runtime clock wakes for the earliest. A tick is a message to the grain,
/// which activates it if needed. Periodic reminders derive each tick from their first due time and
/// period (nothing is written per tick); one-shot reminders are deleted only after the grain has
/// handled them, so a crash between delivery and handling delivers again (at least once).
/// <para>Built for a million pending case deadlines (DOMAIN.md §4): at most
/// <see cref="ActorRuntimeOptions.MaxRemindersInFlight"/> ticks are with their grains at once, so a burst (a
/// restart after downtime finds every deadline due) activates grains at the rate they finish instead
/// of all at once; handled one-shots are deleted in batches, one table write per batch.</para>
/// </summary>
internal sealed partial class ReminderService : IDisposable
{
    private readonly ActorRuntime _runtime;
    private readonly IReminderTable _table;
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId, string), Entry> _entries = [];
    private readonly PriorityQueue<Entry, long> _queue = new();
    private readonly int _maxInFlight;
    private readonly ReminderDeleteBatcher _deletes;
    private ITimer? _timer;
    private long _armedFor = long.MaxValue;
    // Ticks delivered and not yet handled by their grain; at _maxInFlight the timer waits for handlers instead of the clock.
    private int _handling;
    // Ticks delivered whose outcome (delete, reschedule) is not recorded yet.
    private int _unsettled;
    private bool _throttled;
    private TaskCompletionSource? _settled;

    public ReminderService(ActorRuntime runtime, IReminderTable table)
    {
        _runtime = runtime;
        _table = table;
        _maxInFlight = runtime.Options.MaxRemindersInFlight;
        _deletes = new ReminderDeleteBatcher(table);
    }

    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    private long NowMs => _runtime.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rows = await _table.ReadAllAsync(cancellationToken);
        lock (_gate)
        {
            _timer = _runtime.TimeProvider.CreateTimer(static s => ((ReminderService)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _entries.EnsureCapacity(rows.Count);
            var loaded = new List<(Entry, long)>(rows.Count);
            // Every row repeats a few grain type and reminder names: hold one copy of each, not one per row.
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            string Shared(string s) => names.TryGetValue(s, out var shared) ? shared : names[s] = s;
            foreach (var row in rows)
            {
                if (!_runtime.Registry.TryGetType(row.GrainId.Type, out _))
                {
                    LogUnknownGrainType(_runtime.Logger, row.GrainId, row.Name);
                    continue;
                }
                var id = new GrainId(Shared(row.GrainId.Type), row.GrainId.Key);
                var entry = new Entry(id, Shared(row.Name), row.DueAt.ToUnixTimeMilliseconds(), (long?)row.Period?.TotalMilliseconds);
                _entries[(id, entry.Name)] = entry;
                loaded.Add((entry, entry.NextDueMs));
            }
            // One heapify (linear) rather than a million sift-ups.
            _queue.EnqueueRange(loaded);
            ArmLocked();
        }
    }

    public async Task<GrainReminder> RegisterAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan? period)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        if (period is { } p && p < _runtime.Options.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), p, $"A reminder period must be at least {_runtime.Options.MinimumReminderPeriod}; use a grain timer for finer work.");
        }
        var dueAt = _runtime.TimeProvider.GetUtcNow() + dueTime;
        // Durable first: a registration the grain was told about must survive a crash.
        await _table.UpsertAsync(new ReminderRow(grainId, name, dueAt, period));
        var entry = new Entry(grainId, name, dueAt.ToUnixTimeMilliseconds(), (long?)period?.TotalMilliseconds);
        lock (_gate)
        {
            Replace((grainId, name), entry);
            _queue.Enqueue(entry, entry.NextDueMs);
            ArmLocked();
        }
        return entry.ToReminder();
    }

    public async Task UnregisterAsync(GrainId grainId, string name)
    {
        await _table.DeleteAsync(grainId, name);
        lock (_gate) Replace((grainId, name), null);
    }

    public GrainReminder? Get(GrainId grainId, string name)
    {
        lock (_gate) return _entries.TryGetValue((grainId, name), out var e) ? e.ToReminder() : null;
    }

    private void OnTimer()
    {
        var due = new List<Entry>();
        var now = NowMs;
        lock (_gate)
        {
            _armedFor = long.MaxValue;
            while (_queue.TryPeek(out var entry, out var at) && at <= now)
            {
                if (_handling >= _maxInFlight)
                {
                    // The rest waits for handlers to finish (OnHandled re-arms), not for the clock.
                    _throttled = true;
                    break;
                }
                _queue.Dequeue();
                // Stale queue items (unregistered or replaced, or already rescheduled) are skipped here.
                if (!IsCurrent(entry) || entry.NextDueMs != at) continue;
                due.Add(entry);
                _handling++;
                _unsettled++;
                if (entry.PeriodMs is { } period)
                {
                    // Skip ticks missed while the process was down: fire once now, then on the period grid.
                    var missed = (now - entry.NextDueMs) / period + 1;
                    entry.NextDueMs += missed * period;
                    _queue.Enqueue(entry, entry.NextDueMs);
                }
                else
                {
                    entry.InFlight = true;
                }
            }
            ArmLocked();
        }
        var tickTime = _runtime.TimeProvider.GetUtcNow();
        foreach (var entry in due) Deliver(entry, tickTime);
    }

    private void Deliver(Entry entry, DateTimeOffset tickTime)
    {
        var completion = new ResponseCompletion<object?>();
        var dueAt = DateTimeOffset.FromUnixTimeMilliseconds(entry.PeriodMs is { } p ? entry.NextDueMs - p : entry.NextDueMs);
        _runtime.Deliver(entry.GrainId, new Envelope
        {
            Kind = MessageKind.Reminder,
            Control = new ReminderTick(entry.Name, new TickStatus(dueAt, entry.Period, tickTime)),
            Response = completion,
        });
        _ = OnDeliveredAsync(entry, completion.Task);
    }

    /// <summary>Completes when every delivered tick has been handled and its outcome recorded (deleted or rescheduled).</summary>
    public async Task WhenSettledAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task settled;
            lock (_gate)
            {
                if (_unsettled == 0) return;
                _settled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                settled = _settled.Task;
            }
            await settled.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Ticks delivered and not yet handled by their grain (bounded by <see cref="ActorRuntimeOptions.MaxRemindersInFlight"/>).</summary>
    public int InFlight
    {
        get { lock (_gate) return _handling; }
    }

    /// <summary>Stops scheduling and waits for deliveries in flight to be recorded, so a handled one-shot is not redelivered after restart.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
        await WhenSettledAsync(cancellationToken);
    }

    public bool IsArmed
    {
        get { lock (_gate) return _armedFor != long.MaxValue; }
    }

    private async Task OnDeliveredAsync(Entry entry, Task delivery)
    {
        try
        {
            await delivery.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // The slot is free once the grain is done: recording the outcome goes at the table's pace, and
            // tying fires to the delete commits would make a slow disk make every deadline late.
            OnHandled();
            await RecordOutcomeAsync(entry, delivery);
        }
        finally
        {
            OnSettled();
        }
    }

    private void OnHandled()
    {
        lock (_gate)
        {
            _handling--;
            // Resume below the cap with some room, so a throttled backlog is taken in batches, not one tick per settlement.
            if (_throttled && _handling <= _maxInFlight / 2)
            {
                _throttled = false;
                ArmLocked();
            }
        }
    }

    private void OnSettled()
    {
        lock (_gate)
        {
            _unsettled--;
            if (_unsettled == 0 && _settled is { } settled)
            {
                _settled = null;
                settled.TrySetResult();
            }
        }
    }

    private async Task RecordOutcomeAsync(Entry entry, Task delivery)
    {
        if (delivery.IsFaulted) LogReminderFailed(_runtime.Logger, delivery.Exception!.InnerException!, entry.GrainId, entry.Name);
        if (entry.PeriodMs is not null) return;
        if (delivery.IsCompletedSuccessfully)
        {
            try
            {
                // Only this registration: if the grain re-registered the same name meanwhile, keep the new one.
                await _deletes.DeleteAsync(new ReminderKey(entry.GrainId, entry.Name, DateTimeOffset.FromUnixTimeMilliseconds(entry.RegisteredDueMs)));
                lock (_gate)
                {
                    if (IsCurrent(entry)) Replace((entry.GrainId, entry.Name), null);
                }
                return;
            }
            catch (Exception ex)
            {
                LogReminderFailed(_runtime.Logger, ex, entry.GrainId, entry.Name);
            }
        }
        lock (_gate)
        {
            if (!IsCurrent(entry)) return;
            entry.InFlight = false;
            entry.NextDueMs = NowMs + (long)_runtime.Options.ReminderRetryDelay.TotalMilliseconds;
            _queue.Enqueue(entry, entry.NextDueMs);
            ArmLocked();
        }
    }

    // A flag rather than a dictionary lookup: the timer checks every entry it dequeues, a million times per million deadlines.
    private static bool IsCurrent(Entry entry) => !entry.Superseded;

    /// <summary>Puts <paramref name="entry"/> (or nothing) under the key; the entry it replaces becomes stale in the queue.</summary>
    private void Replace((GrainId, string) key, Entry? entry)
    {
        if (_entries.Remove(key, out var old)) old.Superseded = true;
        if (entry is not null) _entries[key] = entry;
    }

    private void ArmLocked()
    {
        // Drop stale heads so the timer is armed for a live reminder.
        while (_queue.TryPeek(out var head, out var at) && (!IsCurrent(head) || head.NextDueMs != at)) _queue.Dequeue();
        if (_throttled || _timer is null || !_queue.TryPeek(out _, out var next) || next >= _armedFor) return;
        _armedFor = next;
        _timer.Change(TimeSpan.FromMilliseconds(Math.Max(0, next - NowMs)), Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        lock (_gate) _timer?.Dispose();
    }

    private sealed class Entry(GrainId grainId, string name, long dueMs, long? periodMs)
    {
        public GrainId GrainId { get; } = grainId;
        public string Name { get; } = name;
        public long? PeriodMs { get; } = periodMs;
        /// <summary>The due time of the stored row: identifies this registration in the table.</summary>
        public long RegisteredDueMs { get; } = dueMs;
        public long NextDueMs { get; set; } = dueMs;
        public bool InFlight { get; set; }
        /// <summary>Unregistered, re-registered or done: queue items for it are stale.</summary>
        public bool Superseded { get; set; }
        public TimeSpan? Period => PeriodMs is { } p ? TimeSpan.FromMilliseconds(p) : null;

        public GrainReminder ToReminder() => new(GrainId, Name, DateTimeOffset.FromUnixTimeMilliseconds(NextDueMs), Period);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {Name} of {GrainId} belongs to no registered grain type; skipped")]
    private static partial void LogUnknownGrainType(ILogger logger, GrainId grainId, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {Name} of {GrainId} failed; a one-shot reminder is retried")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, GrainId grainId, string name);
}
