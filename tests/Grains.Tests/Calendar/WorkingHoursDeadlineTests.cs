using GridGov.Realtime.Grains.Calendar;
using static GridGov.Realtime.Grains.Tests.Calendar.CalendarFixtures;

namespace GridGov.Realtime.Grains.Tests.Calendar;

public class WorkingHoursDeadlineTests
{
    [Theory]
    // Across lunch: 11:00→12:00 is 1 h, the second hour runs 13:30→14:30.
    [InlineData(3, 2, 11, 0, 2, 3, 2, 14, 30)]
    // Overnight: 16:30→17:30 is 1 h, the second hour is Tuesday 08:30→09:30.
    [InlineData(3, 2, 16, 30, 2, 3, 3, 9, 30)]
    // Weekend: Friday 16:30→17:30, then Monday 08:30→09:30.
    [InlineData(3, 6, 16, 30, 2, 3, 9, 9, 30)]
    // Start at 03:00: the clock starts when the office opens at 08:30.
    [InlineData(3, 2, 3, 0, 1, 3, 2, 9, 30)]
    // Start inside lunch: the clock starts at 13:30.
    [InlineData(3, 2, 12, 30, 1, 3, 2, 14, 30)]
    // Start on Saturday: nothing counts until Monday 08:30.
    [InlineData(3, 7, 10, 0, 1, 3, 9, 9, 30)]
    // Ends exactly at the lunch break: due 12:00, not 13:30.
    [InlineData(3, 2, 10, 0, 2, 3, 2, 12, 0)]
    // A whole afternoon: due at 17:30 Friday, not 08:30 Monday.
    [InlineData(3, 6, 13, 30, 4, 3, 6, 17, 30)]
    // 道路不洁, 5 工作时 (DOMAIN.md §4) from 15:00: 2.5 h today, 2.5 h tomorrow → 11:00.
    [InlineData(3, 2, 15, 0, 5, 3, 3, 11, 0)]
    public void DeadlineCountsOnlyWorkingPeriods(int m, int d, int h, int min, int hours, int em, int ed, int eh, int emin)
    {
        var deadline = Default.Deadline(At(m, d, h, min), WorkingHours(hours));

        Assert.Equal(At(em, ed, eh, emin), deadline);
    }

    [Fact]
    public void FractionalHoursAreExactToTheMinute()
    {
        // 0.25 h = 15 min from 11:50: 10 min before lunch, 5 min after → 13:35.
        Assert.Equal(At(3, 2, 13, 35), Default.Deadline(At(3, 2, 11, 50), WorkingHours(0.25m)));
        // 10 minutes as hours (1/6 h, not a finite decimal) still lands on the minute.
        Assert.Equal(At(3, 2, 8, 40), Default.Deadline(At(3, 2, 8, 30), TimeLimit.FromMinutes(10, TimeUnit.WorkingHours)));
    }

    [Fact]
    public void DeadlineIsGivenInTheCalendarsOffset()
    {
        // Started from a UTC instant (Monday 02:00 UTC = 10:00 Beijing), answered in Beijing time.
        var deadline = Default.Deadline(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero), EmergencyHours(1));

        Assert.Equal(TimeSpan.FromHours(8), deadline.Offset);
        Assert.Equal(At(3, 2, 11, 0), deadline);
    }

    [Fact]
    public void HolidaySkipsTheWholeDay()
    {
        var calendar = With(o => o.Holidays.Add(new DateOnly(2026, 3, 9)));

        // Friday 16:30 + 2 工作时: 1 h Friday, Monday is a holiday, 1 h Tuesday.
        Assert.Equal(At(3, 10, 9, 30), calendar.Deadline(At(3, 6, 16, 30), WorkingHours(2)));
    }

    [Fact]
    public void MakeUpSaturdayIsWorked()
    {
        var calendar = With(o => o.MakeUpWorkingDays.Add(new DateOnly(2026, 3, 7)));

        // Friday 16:30 + 2 工作时: 1 h Friday, 1 h on the 调休 Saturday.
        Assert.Equal(At(3, 7, 9, 30), calendar.Deadline(At(3, 6, 16, 30), WorkingHours(2)));
    }

    [Fact]
    public void EmergencyHoursRunThroughNightsAndWeekends()
    {
        // Manhole cover missing: 2 紧急工作时 (DOMAIN.md §4), reported Friday 23:00.
        Assert.Equal(At(3, 7, 1, 0), Default.Deadline(At(3, 6, 23, 0), EmergencyHours(2)));
        Assert.Equal(At(3, 6, 23, 45), Default.Deadline(At(3, 6, 23, 0), EmergencyHours(0.75m)));
    }

    [Fact]
    public void LongHolidaySeasonIsSkipped()
    {
        // Spring Festival 2027: Saturday 6 to Sunday 14 February off.
        var calendar = With(o =>
        {
            for (var day = 6; day <= 14; day++) o.Holidays.Add(new DateOnly(2027, 2, day));
        });

        Assert.Equal(At(2, 15, 9, 30, 2027), calendar.Deadline(At(2, 5, 16, 30, 2027), WorkingHours(2)));
    }
}
