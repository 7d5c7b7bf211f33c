using GridGov.Realtime.Grains.Calendar;

namespace GridGov.Realtime.Grains.Tests.Calendar;

/// <summary>Instants in Beijing time and calendars built from options, for readable test cases.</summary>
internal static class CalendarFixtures
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // 2026-03-02 is a Monday; 2026-03-06 a Friday, 2026-03-07 a Saturday.
    public static DateTimeOffset At(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new(year, month, day, hour, minute, 0, Beijing);

    public static WorkingCalendar Default { get; } = WorkingCalendar.Create(new WorkingCalendarOptions());

    public static WorkingCalendar With(Action<WorkingCalendarOptions> configure)
    {
        var options = new WorkingCalendarOptions();
        configure(options);
        return WorkingCalendar.Create(options);
    }

    public static TimeLimit WorkingHours(decimal amount) => new(amount, TimeUnit.WorkingHours);

    public static TimeLimit WorkingDays(decimal amount) => new(amount, TimeUnit.WorkingDays);

    public static TimeLimit EmergencyHours(decimal amount) => new(amount, TimeUnit.EmergencyHours);
}
