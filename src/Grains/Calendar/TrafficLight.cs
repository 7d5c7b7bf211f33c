namespace GridGov.Realtime.Grains.Calendar;

/// <summary>How much of a step's limit is used (DOMAIN.md §4, traffic light).</summary>
public enum TrafficLight
{
    Green,
    Yellow,
    Red,
}

/// <summary>The traffic-light rule, on exact decimals so a boundary never flips on float error.</summary>
public static class TrafficLightRule
{
    /// <summary>
    /// Green below 80 %, yellow from 80 % up to and including 100 %, red above 100 %.
    /// Exactly 80 % is yellow because DOMAIN.md §4 says "green below 80%" and "yellow at 80–100%".
    /// Exactly 100 % is still yellow: the deadline instant itself is on time (a case closed at
    /// its deadline counts as 按期), and red means "above 100%", i.e. overdue.
    /// </summary>
    public static TrafficLight Classify(decimal consumed, decimal limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(consumed);
        if (consumed > limit) return TrafficLight.Red;
        // consumed / limit >= 0.8 without dividing: 5 * consumed >= 4 * limit.
        return 5 * consumed >= 4 * limit ? TrafficLight.Yellow : TrafficLight.Green;
    }
}
