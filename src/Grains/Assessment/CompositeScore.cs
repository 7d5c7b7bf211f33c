namespace GridGov.Realtime.Grains.Assessment;

/// <summary>
/// A 综合指标值 with the terms it came from. <see cref="Value"/> is unrounded; grade and rank use
/// <see cref="Published"/>, the two-decimal score people see, so a table never shows "90.00, grade B".
/// </summary>
public sealed record CompositeScore(decimal? Value, IReadOnlyList<ScoreComponent> Components)
{
    public decimal? Published => Percent.Round(Value);

    public Grade? Grade => Published is { } score ? Grades.For(score) : null;

    /// <summary>
    /// Σ weight × score over the applicable terms, divided by the sum of their weights. A term with
    /// nothing to measure (a rate with a zero denominator) is left out and the remaining weights are
    /// re-normalised: counting it as full marks would reward an object for having no data, counting it
    /// as 0 would punish it for having no work. Null when no term applies.
    /// </summary>
    public static CompositeScore Combine(params ScoreComponent[] components)
    {
        decimal weighted = 0, weights = 0;
        foreach (var c in components)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(c.Weight);
            if (c.Score is not { } score) continue;
            weighted += c.Weight * score;
            weights += c.Weight;
        }
        return new CompositeScore(weights == 0 ? null : weighted / weights, components);
    }
}
