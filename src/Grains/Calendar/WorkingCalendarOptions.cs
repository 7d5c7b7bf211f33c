namespace GridGov.Realtime.Grains.Calendar;

/// <summary>
/// Configuration of the working calendar (DOMAIN.md §4: 工作时 and 工作日 need a calendar with holidays).
/// Plain properties so it binds from configuration section <see cref="SectionName"/>. Periods are strings
/// like "08:30-12:00,13:30-17:30" (empty = day off) so a configured value replaces the default outright
/// instead of being appended to it, as the binder does with collections.
/// </summary>
public sealed class WorkingCalendarOptions
{
    public const string SectionName = "WorkingCalendar";

    /// <summary>IANA id; if tzdata is missing, this default falls back to a fixed UTC+8 zone (no DST in China since 1991).</summary>
    public const string DefaultTimeZoneId = "Asia/Shanghai";

    /// <summary>The usual office day of a Chinese city command centre: morning and afternoon with a lunch break.</summary>
    public const string DefaultWeekdayPeriods = "08:30-12:00,13:30-17:30";

    public const string NoPeriods = "";

    public string TimeZoneId { get; set; } = DefaultTimeZoneId;

    public string Monday { get; set; } = DefaultWeekdayPeriods;

    public string Tuesday { get; set; } = DefaultWeekdayPeriods;

    public string Wednesday { get; set; } = DefaultWeekdayPeriods;

    public string Thursday { get; set; } = DefaultWeekdayPeriods;

    public string Friday { get; set; } = DefaultWeekdayPeriods;

    public string Saturday { get; set; } = NoPeriods;

    public string Sunday { get; set; } = NoPeriods;

    /// <summary>Dates off (法定节假日), whatever their weekday.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>调休: normally-off dates (usually weekends) that are working days this year.</summary>
    public List<DateOnly> MakeUpWorkingDays { get; set; } = [];

    /// <summary>The periods worked on a make-up day; a 调休 Saturday works a normal weekday.</summary>
    public string MakeUpDayPeriods { get; set; } = DefaultWeekdayPeriods;

    internal string PeriodsFor(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => Monday,
        DayOfWeek.Tuesday => Tuesday,
        DayOfWeek.Wednesday => Wednesday,
        DayOfWeek.Thursday => Thursday,
        DayOfWeek.Friday => Friday,
        DayOfWeek.Saturday => Saturday,
        _ => Sunday,
    };
}
