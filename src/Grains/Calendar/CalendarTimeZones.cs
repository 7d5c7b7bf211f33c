namespace GridGov.Realtime.Grains.Calendar;

/// <summary>Resolves the calendar's zone, tolerating hosts without tzdata for the default zone.</summary>
internal static class CalendarTimeZones
{
    // China has had no daylight saving since 1991, so a fixed offset is exact for any case date.
    internal static readonly TimeZoneInfo FixedChinaStandardTime =
        TimeZoneInfo.CreateCustomTimeZone("UTC+08:00", TimeSpan.FromHours(8), "China Standard Time (fixed UTC+8)", "CST");

    public static bool TryResolve(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            if (id != WorkingCalendarOptions.DefaultTimeZoneId) return false;
            zone = FixedChinaStandardTime;
            return true;
        }
    }
}
