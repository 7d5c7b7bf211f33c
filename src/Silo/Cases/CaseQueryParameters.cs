using System.Globalization;
using System.Security.Claims;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Regions;

namespace GridGov.Realtime.Silo.Cases;

/// <summary>Query parameters shared by the case listing and the statistics: the scope-checked region and instants.</summary>
internal static class CaseQueryParameters
{
    /// <summary>
    /// The region a read covers: <paramref name="region"/> when given (400 when malformed, 403 outside the
    /// caller's scope), else the caller's whole scope ("" for the whole system). A user without a scope gets 403.
    /// </summary>
    public static (string? Code, IResult? Failure) Region(ClaimsPrincipal user, string? region)
    {
        var scope = user.GetRegionScope();
        if (string.IsNullOrEmpty(region))
            return scope.IsNone ? (null, RegionVisibility.Forbidden("(none)")) : (scope.Code!, null);
        if (!RegionScope.IsValidCode(region))
            return (null, Results.ValidationProblem(new Dictionary<string, string[]> { ["region"] = ["region is a region code of 1–32 digits."] }, title: "Invalid region"));
        return scope.Covers(region) ? (region, null) : (null, RegionVisibility.Forbidden(region));
    }

    /// <summary>
    /// Parses an ISO 8601 instant; a date alone is midnight in <paramref name="zone"/> (the working calendar's,
    /// so a month of statistics is the month the city lives in). Null text is "not given".
    /// </summary>
    public static bool TryParseInstant(string? text, TimeZoneInfo zone, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            instant = StartOfDay(date, zone);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            instant = at;
            return true;
        }
        return false;
    }

    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
