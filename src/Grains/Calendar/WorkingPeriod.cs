using System.Globalization;

namespace GridGov.Realtime.Grains.Calendar;

/// <summary>One wall-clock working period of a day, e.g. 08:30–12:00. End may be 24:00.</summary>
internal readonly record struct WorkingPeriod(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;

    /// <summary>
    /// Parses "08:30-12:00,13:30-17:30" (comma or semicolon separated; empty = no working time).
    /// Collects every problem instead of stopping at the first, so an operator fixes them in one go.
    /// </summary>
    public static IReadOnlyList<WorkingPeriod> ParseList(string? text, string context, List<string> errors)
    {
        var periods = new List<WorkingPeriod>();
        if (string.IsNullOrWhiteSpace(text)) return periods;

        foreach (var raw in text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !TryParseClock(parts[0], out var start) || !TryParseClock(parts[1], out var end))
            {
                errors.Add($"{context}: '{raw}' is not a period of the form HH:mm-HH:mm.");
                continue;
            }
            if (end <= start)
            {
                errors.Add($"{context}: period '{raw}' ends before or when it starts.");
                continue;
            }
            periods.Add(new WorkingPeriod(start, end));
        }

        periods.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < periods.Count; i++)
        {
            if (periods[i].Start < periods[i - 1].End)
                errors.Add($"{context}: periods {Format(periods[i - 1])} and {Format(periods[i])} overlap.");
        }
        return periods;
    }

    private static bool TryParseClock(string text, out TimeSpan value)
    {
        if (text == "24:00")
        {
            value = TimeSpan.FromHours(24);
            return true;
        }
        var ok = TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time);
        value = ok ? time.ToTimeSpan() : default;
        return ok;
    }

    private static string Format(WorkingPeriod p) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)p.Start.TotalHours:00}:{p.Start.Minutes:00}-{(int)p.End.TotalHours:00}:{p.End.Minutes:00}");
}
