namespace GridGov.Realtime.Grains.Calendar;

/// <summary>
/// The validated calendar: which wall-clock periods are worked on a given local date, and
/// those periods as instants. Everything above it walks day by day, never minute by minute.
/// </summary>
internal sealed class WorkingSchedule
{
    private readonly IReadOnlyList<WorkingPeriod>[] _byWeekday;
    private readonly IReadOnlyList<WorkingPeriod> _makeUpDay;
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _makeUpDays;

    private WorkingSchedule(TimeZoneInfo zone, IReadOnlyList<WorkingPeriod>[] byWeekday, IReadOnlyList<WorkingPeriod> makeUpDay,
        HashSet<DateOnly> holidays, HashSet<DateOnly> makeUpDays)
    {
        Zone = zone;
        _byWeekday = byWeekday;
        _makeUpDay = makeUpDay;
        _holidays = holidays;
        _makeUpDays = makeUpDays;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Builds the schedule, or lists every configuration error (DOMAIN.md §4).</summary>
    public static WorkingSchedule? TryBuild(WorkingCalendarOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var before = errors.Count;

        if (!CalendarTimeZones.TryResolve(options.TimeZoneId, out var zone))
            errors.Add($"TimeZoneId: '{options.TimeZoneId}' is not a known time zone.");

        var byWeekday = new IReadOnlyList<WorkingPeriod>[7];
        foreach (var day in Enum.GetValues<DayOfWeek>())
            byWeekday[(int)day] = WorkingPeriod.ParseList(options.PeriodsFor(day), day.ToString(), errors);
        var makeUpDay = WorkingPeriod.ParseList(options.MakeUpDayPeriods, nameof(options.MakeUpDayPeriods), errors);

        // Holidays take away at most a finite set of dates, so a weekly pattern with some working
        // time guarantees every deadline exists.
        if (byWeekday.All(p => p.Count == 0))
            errors.Add("No weekday has working periods: 工作时 and 工作日 limits could never end.");

        var holidays = new HashSet<DateOnly>(options.Holidays ?? []);
        var makeUpDays = new HashSet<DateOnly>(options.MakeUpWorkingDays ?? []);
        foreach (var date in makeUpDays.Order())
        {
            if (holidays.Contains(date))
                errors.Add($"{date:yyyy-MM-dd} is listed both as a holiday and as a make-up working day.");
            else if (byWeekday[(int)date.DayOfWeek].Count > 0)
                errors.Add($"{date:yyyy-MM-dd} is a make-up working day but is already a working {date.DayOfWeek}.");
        }
        if (makeUpDays.Count > 0 && makeUpDay.Count == 0)
            errors.Add("MakeUpDayPeriods is empty, so the listed make-up working days would have no working time.");

        return errors.Count > before ? null : new WorkingSchedule(zone, byWeekday, makeUpDay, holidays, makeUpDays);
    }

    public bool IsWorkingDay(DateOnly date) => PeriodsOn(date).Count > 0;

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The date's working periods as instants, in order.</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> SpansOn(DateOnly date)
    {
        foreach (var period in PeriodsOn(date))
            yield return (ToInstant(date, period.Start), ToInstant(date, period.End));
    }

    private IReadOnlyList<WorkingPeriod> PeriodsOn(DateOnly date)
    {
        if (_holidays.Contains(date)) return [];
        return _makeUpDays.Contains(date) ? _makeUpDay : _byWeekday[(int)date.DayOfWeek];
    }

    // Wall-clock to instant with the zone's offset at that wall time. Exact in DST-free zones;
    // in a DST zone a boundary inside a skipped hour takes the standard offset.
    private DateTimeOffset ToInstant(DateOnly date, TimeSpan timeOfDay)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + timeOfDay;
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
