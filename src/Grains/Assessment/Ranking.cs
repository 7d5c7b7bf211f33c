namespace GridGov.Realtime.Grains.Assessment;

/// <summary>Ranking of composite scores (DOMAIN.md §5).</summary>
public static class Ranking
{
    /// <summary>
    /// Ranks by published composite score, descending, within each object type and period. Equal
    /// scores share a rank and the next rank skips (1, 1, 3). Objects without a score come last,
    /// unranked. Ties are listed by object id so the output is deterministic.
    /// </summary>
    public static IReadOnlyList<RankedEntry> Rank(IEnumerable<AssessmentEntry> entries)
    {
        var ranked = new List<RankedEntry>();
        foreach (var group in entries.GroupBy(e => (e.Type, e.Period)).OrderBy(g => g.Key.Type)
            .ThenBy(g => g.Key.Period.Year).ThenBy(g => g.Key.Period.Kind).ThenBy(g => g.Key.Period.Number))
        {
            var ordered = group
                .OrderByDescending(e => e.Score.Published.HasValue)
                .ThenByDescending(e => e.Score.Published)
                .ThenBy(e => e.ObjectId, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var score = ordered[i].Score.Published;
                int? rank = score is null ? null
                    : i > 0 && ordered[i - 1].Score.Published == score ? ranked[^1].Rank
                    : i + 1;
                ranked.Add(new RankedEntry(ordered[i], rank));
            }
        }
        return ranked;
    }
}
