namespace GridGov.Realtime.Grains.Calendar;

/// <summary>
/// Clock arithmetic in each <see cref="TimeUnit"/> (DOMAIN.md §4). Walks the schedule one day and
/// one working period at a time, so a limit spanning a holiday season costs a few dozen steps.
/// Amounts are hours for the hour units and days for <see cref="TimeUnit.WorkingDays"/>.
/// </summary>
internal sealed class WorkingClock(WorkingSchedule schedule)
{
    /// <summary>How much of <paramref name="unit"/> elapses between two instants (<paramref name="from"/> ≤ <paramref name="to"/>).</summary>
    public decimal Measure(DateTimeOffset from, DateTimeOffset to, TimeUnit unit)
    {
        if (to <= from) return 0m;
        if (unit == TimeUnit.EmergencyHours) return TicksToHours((to - from).Ticks);

        var total = 0m;
        var last = schedule.LocalDate(to);
        for (var date = schedule.LocalDate(from); date <= last; date = date.AddDays(1))
        {
            long overlap = 0, length = 0;
            foreach (var (start, end) in schedule.SpansOn(date))
            {
                length += (end - start).Ticks;
                var s = Max(start, from);
                var e = Min(end, to);
                if (e > s) overlap += (e - s).Ticks;
            }
            if (overlap == 0) continue;
            // 工作日: each working day is one unit spread evenly over its own working time.
            total += unit == TimeUnit.WorkingHours ? TicksToHours(overlap) : (decimal)overlap / length;
        }
        return total;
    }

    /// <summary>
    /// The instant at which <paramref name="amount"/> of <paramref name="unit"/> has elapsed from <paramref name="from"/>.
    /// A limit that runs out exactly at the end of a working period ends there (17:30 Friday),
    /// not at the start of the next one (08:30 Monday): the work was due by close of business.
    /// </summary>
    public DateTimeOffset Advance(DateTimeOffset from, decimal amount, TimeUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (unit == TimeUnit.EmergencyHours) return from + TimeSpan.FromTicks(HoursToTicks(amount));
        if (unit == TimeUnit.WorkingHours) return AdvanceWorkingTicks(from, HoursToTicks(amount));

        var remaining = amount;
        for (var date = schedule.LocalDate(from); ; date = date.AddDays(1))
        {
            var spans = schedule.SpansOn(date).ToList();
            var length = spans.Sum(s => (s.End - s.Start).Ticks);
            if (length == 0) continue;
            var available = spans.Sum(s => Math.Max(0, (s.End - Max(s.Start, from)).Ticks));
            // Compare in ticks so decimal rounding of thirds and sevenths cannot skip a day.
            var needed = (long)decimal.Round(remaining * length, MidpointRounding.AwayFromZero);
            if (needed <= available) return AdvanceWorkingTicks(Max(from, spans[0].Start), needed);
            remaining -= (decimal)available / length;
        }
    }

    private DateTimeOffset AdvanceWorkingTicks(DateTimeOffset from, long ticks)
    {
        if (ticks == 0) return from;
        for (var date = schedule.LocalDate(from); ; date = date.AddDays(1))
        {
            foreach (var (start, end) in schedule.SpansOn(date))
            {
                var s = Max(start, from);
                if (s >= end) continue;
                var available = (end - s).Ticks;
                if (ticks <= available) return s + TimeSpan.FromTicks(ticks);
                ticks -= available;
            }
        }
    }

    internal static decimal TicksToHours(long ticks) => (decimal)ticks / TimeSpan.TicksPerHour;

    internal static long HoursToTicks(decimal hours) =>
        (long)decimal.Round(hours * TimeSpan.TicksPerHour, MidpointRounding.AwayFromZero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
