namespace GridGov.Realtime.Grains.Calendar;

/// <summary>
/// The working calendar for case time limits (DOMAIN.md §4). Pure: every instant is passed in.
/// <para>
/// Rules: a clock started outside working time starts at the next working period. A
/// <see cref="TimeUnit.WorkingDays"/> limit keeps the working-clock position: N 工作日 from 10:00 Monday
/// end at 10:00 N working days later, and from before opening (or after closing) they end at close of
/// the Nth working day. Cities count "1 工作日" as a full day of working time from dispatch, so a case
/// dispatched late in the afternoon is not left with minutes; the end-of-day reading would give it that.
/// Each working day weighs one unit even when its periods are shorter (a half-day Saturday).
/// </para>
/// </summary>
public sealed class WorkingCalendar
{
    private readonly WorkingSchedule _schedule;
    private readonly WorkingClock _clock;

    private WorkingCalendar(WorkingSchedule schedule)
    {
        _schedule = schedule;
        _clock = new WorkingClock(schedule);
    }

    public TimeZoneInfo TimeZone => _schedule.Zone;

    /// <summary>Builds a calendar; throws <see cref="ArgumentException"/> listing every configuration error.</summary>
    public static WorkingCalendar Create(WorkingCalendarOptions options)
    {
        var errors = new List<string>();
        var schedule = WorkingSchedule.TryBuild(options, errors)
            ?? throw new ArgumentException("Invalid working calendar: " + string.Join(" ", errors), nameof(options));
        return new WorkingCalendar(schedule);
    }

    public bool IsWorkingDay(DateOnly date) => _schedule.IsWorkingDay(date);

    /// <summary>When a step started at <paramref name="start"/> with <paramref name="limit"/> falls due.</summary>
    public DateTimeOffset Deadline(DateTimeOffset start, TimeLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return Local(_clock.Advance(start, limit.Amount, limit.Unit));
    }

    /// <summary>
    /// The deadline once the clock has been stopped for <paramref name="pauses"/> (挂账, pending 延期).
    /// Null while a pause is still open: the case is off the clock and has no deadline.
    /// </summary>
    public DateTimeOffset? Deadline(DateTimeOffset start, TimeLimit limit, IEnumerable<ClockPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var remaining = limit.Amount;
        var cursor = start;
        foreach (var (from, to) in Normalise(start, pauses))
        {
            if (from > cursor)
            {
                var used = _clock.Measure(cursor, from, limit.Unit);
                if (used >= remaining) return Local(_clock.Advance(cursor, remaining, limit.Unit));
                remaining -= used;
            }
            if (to is null) return null;
            cursor = to.Value > cursor ? to.Value : cursor;
        }
        return Local(_clock.Advance(cursor, remaining, limit.Unit));
    }

    /// <summary>
    /// How much of <paramref name="unit"/> the step has used between <paramref name="start"/> and
    /// <paramref name="now"/>, leaving out pauses: hours for the hour units, days for 工作日.
    /// </summary>
    public decimal Consumed(DateTimeOffset start, DateTimeOffset now, TimeUnit unit, IEnumerable<ClockPause>? pauses = null)
    {
        var total = 0m;
        var cursor = start;
        foreach (var (from, to) in Normalise(start, pauses ?? []))
        {
            if (from >= now) break;
            if (from > cursor) total += _clock.Measure(cursor, from, unit);
            if (to is null || to.Value >= now) return total;
            cursor = to.Value > cursor ? to.Value : cursor;
        }
        return total + _clock.Measure(cursor, now, unit);
    }

    /// <summary>The share of the limit used: 0.5 is half, above 1 is overdue.</summary>
    public double Fraction(DateTimeOffset start, DateTimeOffset now, TimeLimit limit, IEnumerable<ClockPause>? pauses = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return (double)(Consumed(start, now, limit.Unit, pauses) / limit.Amount);
    }

    /// <summary>The traffic light for a step (DOMAIN.md §4); boundaries in <see cref="TrafficLightRule.Classify"/>.</summary>
    public TrafficLight Light(DateTimeOffset start, DateTimeOffset now, TimeLimit limit, IEnumerable<ClockPause>? pauses = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var consumed = Consumed(start, now, limit.Unit, pauses);
        if (limit.Unit == TimeUnit.WorkingDays) return TrafficLightRule.Classify(consumed, limit.Amount);
        // Hour limits such as 10 min (1/6 h) are not finite decimals; whole ticks compare exactly.
        return TrafficLightRule.Classify(WorkingClock.HoursToTicks(consumed), WorkingClock.HoursToTicks(limit.Amount));
    }

    // Deadlines are shown to operators, so they come back in the calendar's own offset.
    private DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _schedule.Zone);

    // Sorted, merged pauses that end after the start; overlapping records (a suspension during a
    // pending extension) must not be subtracted twice.
    private static List<ClockPause> Normalise(DateTimeOffset start, IEnumerable<ClockPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        var merged = new List<ClockPause>();
        foreach (var pause in pauses.OrderBy(p => p.From))
        {
            if (pause.To is { } end && end < pause.From)
                throw new ArgumentException($"Pause from {pause.From:O} ends before it starts.", nameof(pauses));
            if (pause.To is { } to && to <= start) continue;
            var p = pause.From < start ? pause with { From = start } : pause;
            if (merged.Count > 0 && (merged[^1].To is null || merged[^1].To >= p.From))
            {
                var last = merged[^1];
                merged[^1] = last with { To = last.To is null || p.To is null ? null : Later(last.To.Value, p.To.Value) };
            }
            else merged.Add(p);
        }
        return merged;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
