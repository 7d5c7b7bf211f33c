namespace GridGov.Realtime.Grains.Assessment;

/// <summary>
/// The DOMAIN.md §5 rates of one object as published: percentages rounded to two decimals, null when
/// not applicable (nothing to measure).
/// </summary>
public sealed record PublishedRates(
    decimal? ClosureRate,
    decimal? OnTimeClosureRate,
    decimal? OnTimeHandlingRate,
    decimal? ReworkRate,
    decimal? OverdueRate,
    decimal? SupervisionReportRate,
    decimal? ValidReportRate,
    decimal? OnTimeCheckRate)
{
    public static PublishedRates Of(CaseCounters c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(
            Percent.Round(Rates.Closure(c)),
            Percent.Round(Rates.OnTimeClosure(c)),
            Percent.Round(Rates.OnTimeHandling(c)),
            Percent.Round(Rates.Rework(c)),
            Percent.Round(Rates.Overdue(c)),
            Percent.Round(Rates.SupervisionReport(c)),
            Percent.Round(Rates.ValidReport(c)),
            Percent.Round(Rates.OnTimeCheck(c)));
    }
}

/// <summary>One assessed object's counters, rates, 综合指标值 with its terms, grade and (in a ranking) rank.</summary>
public sealed record AssessmentReport(
    AssessedObjectType Type,
    string ObjectId,
    string? Name,
    CaseCounters Counters,
    PublishedRates Rates,
    decimal? Score,
    Grade? Grade,
    IReadOnlyList<ScoreComponent> Components,
    int? Rank = null)
{
    public static AssessmentReport Of(AssessedObjectType type, string objectId, string? name, CaseCounters counters, CompositeScore score, int? rank = null)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(score);
        return new(type, objectId, name, counters, PublishedRates.Of(counters), score.Published, score.Grade, score.Components, rank);
    }

    /// <summary>
    /// The 监督员 score of a person. 漏报 (problems the public found first) is not recorded by the case
    /// workflow, so its term is left out rather than scored as a perfect 0 %; 核实 has no time limit in
    /// the workflow, so 按时核实率 is not applicable either (CompositeScore re-normalises the weights).
    /// </summary>
    public static CompositeScore SupervisorScore(CaseCounters c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return CompositeScores.Supervisor(c with { MissedReports = 0, Filed = 0, ShouldVerify = 0, VerifiedOnTime = 0 });
    }

    /// <summary>Ranks reports of one type by score (<see cref="Ranking.Rank"/>: ties share a rank, unscored last).</summary>
    public static IReadOnlyList<AssessmentReport> Ranked(IReadOnlyList<(AssessmentReport Report, CompositeScore Score)> items, AssessmentPeriod period)
    {
        ArgumentNullException.ThrowIfNull(items);
        var byId = items.ToDictionary(i => i.Report.ObjectId, i => i.Report, StringComparer.Ordinal);
        return [.. Ranking.Rank(items.Select(i => new AssessmentEntry(i.Report.Type, i.Report.ObjectId, period, i.Score)))
            .Select(r => byId[r.Entry.ObjectId] with { Rank = r.Rank })];
    }
}
