using System.Globalization;
using GridGov.Realtime.Actors;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// Hands out case ids for one day, keyed by the date (yyyyMMdd, in the working calendar's time zone):
/// <c>C</c> + yyyyMMdd + a 6-digit sequence, e.g. <c>C20260302000017</c>. Ids sort by day and then by
/// order of report, read well over the phone, and need no coordination beyond this one grain per day.
/// Past 999999 cases a day the sequence simply grows a digit (and still sorts within its length).
/// </summary>
public interface ICaseNumberGrain : IGrainWithStringKey
{
    Task<string> Next();
}

public sealed class CaseNumberState
{
    public long Last { get; set; }
}

public sealed class CaseNumberGrain([PersistentState("numbers")] IPersistentState<CaseNumberState> state) : Grain, ICaseNumberGrain
{
    public async Task<string> Next()
    {
        state.State.Last++;
        // Durable before it is handed out: a restart never reissues an id.
        await state.WriteStateAsync();
        return CaseIds.Format(GetPrimaryKeyString(), state.State.Last);
    }
}

public static class CaseIds
{
    /// <summary>The number grain key for the day <paramref name="now"/> falls on in <paramref name="zone"/>.</summary>
    public static string DayKey(DateTimeOffset now, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(now, zone).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Format(string dayKey, long sequence) =>
        "C" + dayKey + sequence.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>A well-formed case id: C + 8 digits + at least 6 digits.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: >= 15 and <= 24 } && id[0] == 'C' && id.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}
