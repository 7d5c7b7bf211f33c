namespace GridGov.Realtime.Grains.Calendar;

/// <summary>The three clocks a step limit can run on (DOMAIN.md §4, Yuncheng units).</summary>
public enum TimeUnit
{
    /// <summary>紧急工作时: continuous clock hours; keeps running at night, weekends and holidays.</summary>
    EmergencyHours,

    /// <summary>工作时: hours counted only inside the calendar's working periods.</summary>
    WorkingHours,

    /// <summary>
    /// 工作日: working days. Each working day is one unit spread evenly over that day's working
    /// periods, so "1 工作日" from 10:00 Monday ends at 10:00 Tuesday (see <see cref="WorkingCalendar"/>).
    /// </summary>
    WorkingDays,
}
