namespace GridGov.Realtime.Grains.Live;

/// <summary>Open cases of a region (grid or above) now, and how many of them are overdue or escalated.</summary>
public sealed record LiveCaseCounts(int Open, int Overdue, int Escalated)
{
    public static LiveCaseCounts Zero { get; } = new(0, 0, 0);
}

/// <summary>Where the live region counters read case counts from (the case read model).</summary>
public interface ILiveCaseCounts
{
    /// <summary>Counts for the region <paramref name="regionCode"/> and everything below it.</summary>
    Task<LiveCaseCounts> CountAsync(string regionCode, CancellationToken cancellationToken = default);
}

/// <summary>
/// Told, after the change is durable, that a case in <paramref name="regionCode"/> opened, closed, became
/// overdue or was escalated. Must return at once (the tracking roll-ups implement it with one-way messages).
/// </summary>
public interface ICaseCountsListener
{
    void CaseCountsChanged(string regionCode);
}
