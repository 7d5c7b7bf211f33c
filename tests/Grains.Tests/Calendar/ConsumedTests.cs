using GridGov.Realtime.Grains.Calendar;
using static GridGov.Realtime.Grains.Tests.Calendar.CalendarFixtures;

namespace GridGov.Realtime.Grains.Tests.Calendar;

public class ConsumedTests
{
    [Fact]
    public void WorkingHoursSkipLunchNightAndWeekend()
    {
        // 11:00→12:00 + 13:30→14:00 = 1.5 h.
        Assert.Equal(1.5m, Default.Consumed(At(3, 2, 11, 0), At(3, 2, 14, 0), TimeUnit.WorkingHours));
        // Friday 16:00→17:30 (1.5 h) + Monday 08:30→09:00 (0.5 h) = 2 h.
        Assert.Equal(2m, Default.Consumed(At(3, 6, 16, 0), At(3, 9, 9, 0), TimeUnit.WorkingHours));
        // Started at 03:00, nothing counts before 08:30.
        Assert.Equal(0m, Default.Consumed(At(3, 2, 3, 0), At(3, 2, 8, 30), TimeUnit.WorkingHours));
    }

    [Fact]
    public void HolidayCountsNothingAndMakeUpSaturdayCounts()
    {
        var calendar = With(o =>
        {
            o.Holidays.Add(new DateOnly(2026, 3, 9));
            o.MakeUpWorkingDays.Add(new DateOnly(2026, 3, 7));
        });

        // Friday 17:00→17:30 (0.5 h) + Saturday 调休 08:30→17:30 (7.5 h) + Monday holiday (0) + Tuesday 08:30→09:30 (1 h).
        Assert.Equal(9m, calendar.Consumed(At(3, 6, 17, 0), At(3, 10, 9, 30), TimeUnit.WorkingHours));
        // In days: 0.5/7.5 + 1 + 0 + 1/7.5 = 1.2.
        Assert.Equal(1.2m, calendar.Consumed(At(3, 6, 17, 0), At(3, 10, 9, 30), TimeUnit.WorkingDays));
    }

    [Fact]
    public void EmergencyHoursCountEveryHour()
    {
        Assert.Equal(62m, Default.Consumed(At(3, 6, 16, 0), At(3, 9, 6, 0), TimeUnit.EmergencyHours));
    }

    [Fact]
    public void WorkingDaysAreFractionsOfEachDay()
    {
        // Monday 10:00→17:30 = 6/7.5 = 0.8; Tuesday 08:30→10:00 = 1.5/7.5 = 0.2.
        Assert.Equal(1m, Default.Consumed(At(3, 2, 10, 0), At(3, 3, 10, 0), TimeUnit.WorkingDays));
        Assert.Equal(0.8m, Default.Consumed(At(3, 2, 10, 0), At(3, 2, 20, 0), TimeUnit.WorkingDays));
    }

    [Fact]
    public void NowBeforeStartConsumesNothing()
    {
        Assert.Equal(0m, Default.Consumed(At(3, 2, 10, 0), At(3, 2, 9, 0), TimeUnit.EmergencyHours));
    }

    [Fact]
    public void PausesLeaveTheClock()
    {
        // 挂账 from Monday 10:00 to Tuesday 10:00: only 09:00→10:00 Monday and 10:00→11:00 Tuesday count.
        var pauses = new[] { new ClockPause(At(3, 2, 10, 0), At(3, 3, 10, 0)) };

        Assert.Equal(2m, Default.Consumed(At(3, 2, 9, 0), At(3, 3, 11, 0), TimeUnit.WorkingHours, pauses));
    }

    [Fact]
    public void OverlappingPausesAreNotSubtractedTwice()
    {
        // Extension pending 10:00–11:00 and suspension 10:30–11:30 overlap: off the clock 10:00–11:30.
        var pauses = new[]
        {
            new ClockPause(At(3, 2, 10, 30), At(3, 2, 11, 30)),
            new ClockPause(At(3, 2, 10, 0), At(3, 2, 11, 0)),
        };

        // 09:00→10:00 and 11:30→12:00 = 1.5 h.
        Assert.Equal(1.5m, Default.Consumed(At(3, 2, 9, 0), At(3, 2, 12, 0), TimeUnit.EmergencyHours, pauses));
    }

    [Fact]
    public void OpenPauseStopsTheClockUntilNow()
    {
        var pauses = new[] { new ClockPause(At(3, 2, 10, 0), null) };

        Assert.Equal(1m, Default.Consumed(At(3, 2, 9, 0), At(3, 5, 9, 0), TimeUnit.WorkingHours, pauses));
    }

    [Fact]
    public void PauseBeforeStartIsIgnoredAndOneStraddlingStartIsClipped()
    {
        var pauses = new[]
        {
            new ClockPause(At(3, 1, 10, 0), At(3, 1, 11, 0)),
            new ClockPause(At(3, 2, 8, 0), At(3, 2, 9, 30)),
        };

        // From 09:00, paused until 09:30, then 09:30→12:00 = 2.5 h.
        Assert.Equal(2.5m, Default.Consumed(At(3, 2, 9, 0), At(3, 2, 12, 0), TimeUnit.WorkingHours, pauses));
    }

    [Fact]
    public void PauseEndingBeforeItStartsIsRejected()
    {
        var pauses = new[] { new ClockPause(At(3, 2, 10, 0), At(3, 2, 9, 0)) };

        Assert.Throws<ArgumentException>(() => Default.Consumed(At(3, 2, 8, 0), At(3, 2, 12, 0), TimeUnit.WorkingHours, pauses));
    }

    [Fact]
    public void DeadlineMovesByThePausedWorkingTime()
    {
        // 4 工作时 from Monday 09:00, suspended Monday 10:00 → Tuesday 10:00:
        // 1 h used before, 3 h left from Tuesday 10:00 → 12:00 (2 h) + 13:30→14:30.
        var pauses = new[] { new ClockPause(At(3, 2, 10, 0), At(3, 3, 10, 0)) };

        Assert.Equal(At(3, 3, 14, 30), Default.Deadline(At(3, 2, 9, 0), WorkingHours(4), pauses));
    }

    [Fact]
    public void DeadlineIgnoresPausesAfterTheLimitRanOut()
    {
        var pauses = new[] { new ClockPause(At(3, 2, 11, 0), At(3, 2, 16, 0)) };

        Assert.Equal(At(3, 2, 10, 0), Default.Deadline(At(3, 2, 9, 0), EmergencyHours(1), pauses));
    }

    [Fact]
    public void DeadlineIsUnknownWhileSuspended()
    {
        var pauses = new[] { new ClockPause(At(3, 2, 10, 0), null) };

        Assert.Null(Default.Deadline(At(3, 2, 9, 0), WorkingHours(4), pauses));
    }

    [Fact]
    public void FractionIsConsumedOverLimit()
    {
        // 3 of 5 working hours by 11:30 from 08:30.
        Assert.Equal(0.6, Default.Fraction(At(3, 2, 8, 30), At(3, 2, 11, 30), WorkingHours(5)), 10);
    }
}
