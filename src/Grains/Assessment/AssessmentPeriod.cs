namespace GridGov.Realtime.Grains.Assessment;

public enum PeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>An assessment period: a month, quarter or year (DOMAIN.md §5 ranking).</summary>
public sealed record AssessmentPeriod
{
    private AssessmentPeriod(PeriodKind kind, int year, int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        Kind = kind;
        Year = year;
        Number = number;
    }

    public PeriodKind Kind { get; }

    public int Year { get; }

    /// <summary>Month 1–12, quarter 1–4, or 1 for a year.</summary>
    public int Number { get; }

    public static AssessmentPeriod Month(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        return new(PeriodKind.Month, year, month);
    }

    public static AssessmentPeriod Quarter(int year, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        return new(PeriodKind.Quarter, year, quarter);
    }

    public static AssessmentPeriod WholeYear(int year) => new(PeriodKind.Year, year, 1);
}
