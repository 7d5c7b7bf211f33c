namespace GridGov.Realtime.Grains.Calendar;

/// <summary>
/// A step's time limit (时限), e.g. 2 紧急工作时 or 1 工作日 (DOMAIN.md §4).
/// Hours may be fractional (0.25 = 15 minutes); durations are rounded to the tick when applied.
/// </summary>
public sealed record TimeLimit
{
    public TimeLimit(decimal amount, TimeUnit unit)
    {
        // A zero or negative limit would make every case red at the moment it starts.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (!Enum.IsDefined(unit)) throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit.");
        Amount = amount;
        Unit = unit;
    }

    public decimal Amount { get; }

    public TimeUnit Unit { get; }

    /// <summary>A limit given in minutes, e.g. the 10-minute filing-and-dispatch bound, as hours of <paramref name="unit"/>.</summary>
    public static TimeLimit FromMinutes(int minutes, TimeUnit unit)
    {
        if (unit == TimeUnit.WorkingDays) throw new ArgumentException("Minutes only make sense for hour units.", nameof(unit));
        return new TimeLimit(minutes / 60m, unit);
    }

    public override string ToString() => $"{Amount} {Unit}";
}
