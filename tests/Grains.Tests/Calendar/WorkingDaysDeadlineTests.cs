using GridGov.Realtime.Grains.Calendar;
using static GridGov.Realtime.Grains.Tests.Calendar.CalendarFixtures;

namespace GridGov.Realtime.Grains.Tests.Calendar;

public class WorkingDaysDeadlineTests
{
    [Theory]
    // 暴露垃圾, 1 工作日 (DOMAIN.md §4), dispatched 10:00 Monday: same position Tuesday.
    [InlineData(3, 2, 10, 0, 1, 3, 3, 10, 0)]
    // Friday 10:00 + 1: the weekend does not count.
    [InlineData(3, 6, 10, 0, 1, 3, 9, 10, 0)]
    // Before opening: the whole of Monday is the first working day, due at close.
    [InlineData(3, 2, 3, 0, 1, 3, 2, 17, 30)]
    // After Friday's close: the first working day is Monday, due at its close.
    [InlineData(3, 6, 18, 0, 1, 3, 9, 17, 30)]
    // Inside lunch: 3.5 of 7.5 working hours are gone, so Tuesday's same position is 12:00.
    [InlineData(3, 2, 12, 30, 1, 3, 3, 12, 0)]
    // 私搭乱建 penalty, 7 工作日 from Wednesday 14:00: Thu Fri Mon Tue Wed Thu Fri → next Friday 14:00.
    [InlineData(3, 4, 14, 0, 7, 3, 13, 14, 0)]
    public void WholeDaysKeepTheWorkingClockPosition(int m, int d, int h, int min, int days, int em, int ed, int eh, int emin)
    {
        Assert.Equal(At(em, ed, eh, emin), Default.Deadline(At(m, d, h, min), WorkingDays(days)));
    }

    [Fact]
    public void HalfADayIsHalfOfTheDaysWorkingTime()
    {
        // 0.5 × 7.5 h = 3.75 h from 08:30: 3.5 h morning + 0.25 h afternoon → 13:45.
        Assert.Equal(At(3, 2, 13, 45), Default.Deadline(At(3, 2, 8, 30), WorkingDays(0.5m)));
    }

    [Fact]
    public void HolidayAndMakeUpDayAreCounted()
    {
        var calendar = With(o =>
        {
            o.Holidays.Add(new DateOnly(2026, 3, 9));
            o.MakeUpWorkingDays.Add(new DateOnly(2026, 3, 7));
        });

        // Friday 10:00 + 2: Saturday (调休) is day 1, Monday is off, Tuesday is day 2.
        Assert.Equal(At(3, 10, 10, 0), calendar.Deadline(At(3, 6, 10, 0), WorkingDays(2)));
    }

    [Fact]
    public void TwentyWorkingDaysAcrossTheYearEnd()
    {
        var calendar = With(o =>
        {
            o.Holidays.Add(new DateOnly(2027, 1, 1));            // 元旦, a Friday
            o.MakeUpWorkingDays.Add(new DateOnly(2027, 1, 9));   // a 调休 Saturday
        });
        var start = At(12, 21, 10, 0);                           // Monday 2026-12-21

        // Days: Dec 22 23 24 25 | 28 29 30 31 | (Jan 1 off) Jan 4 5 6 7 8 | Sat 9 | 11 12 13 14 15 | 18.
        var deadline = calendar.Deadline(start, WorkingDays(20));

        Assert.Equal(At(1, 18, 10, 0, 2027), deadline);
        Assert.Equal(20m, calendar.Consumed(start, deadline, TimeUnit.WorkingDays));
    }

    [Fact]
    public void ThousandsOfWorkingDaysWalkDaysNotMinutes()
    {
        // About eight years of working days: proves the walk is per day (a per-minute walk would
        // take millions of steps). Counted back, the clock gives the same amount.
        var start = At(3, 2, 9, 0);
        var deadline = Default.Deadline(start, WorkingDays(2000));

        Assert.Equal(2000m, Default.Consumed(start, deadline, TimeUnit.WorkingDays));
        Assert.Equal(new TimeSpan(9, 0, 0), deadline.ToOffset(TimeSpan.FromHours(8)).TimeOfDay);
    }
}
