namespace GridGov.Realtime.Grains.Assessment;

/// <summary>
/// The composite scores of DOMAIN.md §5 with its weights [STD~]. Lower-is-better rates
/// (监督举报率, 漏报率, 返工率) score 100 − rate, floored at 0 since 漏报 can outnumber 立案;
/// the repo inverts the wrong terms and is not followed.
/// </summary>
public static class CompositeScores
{
    /// <summary>
    /// Region: 监督举报率分值×10% + 立案数分值×20% + 结案率×30% + 按期结案率×40%. The repo's 10% on the
    /// last term sums to 70%; 40% makes 100% (DOMAIN.md §5 [INF]).
    /// </summary>
    public static CompositeScore Region(CaseCounters c, RegionClass regionClass) => CompositeScore.Combine(
        new("监督举报率分值", 10, LowerIsBetter(Rates.SupervisionReport(c))),
        new("立案数分值", 20, CountScores.RegionFiled(c.Filed, regionClass)),
        new("结案率", 30, Rates.Closure(c)),
        new("按期结案率", 40, Rates.OnTimeClosure(c)));

    /// <summary>Professional department: 立案数分值×10% + 结案率×30% + 按时处置率×30% + (100 − 返工率)×30%.</summary>
    public static CompositeScore Department(CaseCounters c) => CompositeScore.Combine(
        new("立案数分值", 10, CountScores.DepartmentFiled(c.Filed)),
        new("结案率", 30, Rates.Closure(c)),
        new("按时处置率", 30, Rates.OnTimeHandling(c)),
        new("返工率分值", 30, LowerIsBetter(Rates.Rework(c))));

    /// <summary>监督员: 有效上报率×40% + 漏报率分值×20% + 按时核实率×20% + 按时核查率×20%.</summary>
    public static CompositeScore Supervisor(CaseCounters c) => CompositeScore.Combine(
        new("有效上报率", 40, Rates.ValidReport(c)),
        new("漏报率分值", 20, LowerIsBetter(Rates.MissedReport(c))),
        new("按时核实率", 20, Rates.OnTimeVerification(c)),
        new("按时核查率", 20, Rates.OnTimeCheck(c)));

    /// <summary>受理员: 受理数分值×25% + 核实按时派发率×40% + 核查按时派发率×35%.</summary>
    public static CompositeScore Acceptor(CaseCounters c) => CompositeScore.Combine(
        new("受理数分值", 25, CountScores.Acceptances(c.Accepted)),
        new("核实按时派发率", 40, Rates.OnTimeVerifyTaskSending(c)),
        new("核查按时派发率", 35, Rates.OnTimeCheckTaskSending(c)));

    /// <summary>值班长: 按时立案率×25% + 准确立案率×40% + 按时结案率×35%.</summary>
    public static CompositeScore ShiftLeader(CaseCounters c) => CompositeScore.Combine(
        new("按时立案率", 25, Rates.OnTimeFiling(c)),
        new("准确立案率", 40, Rates.AccurateFiling(c)),
        new("按时结案率", 35, Rates.OnTimeClosingStep(c)));

    /// <summary>派遣员: 派遣数分值×20% + 按时派遣率×40% + 准确派遣率×40%.</summary>
    public static CompositeScore Dispatcher(CaseCounters c) => CompositeScore.Combine(
        new("派遣数分值", 20, CountScores.Dispatches(c.Dispatched)),
        new("按时派遣率", 40, Rates.OnTimeDispatch(c)),
        new("准确派遣率", 40, Rates.AccurateDispatch(c)));

    /// <summary>Score of a lower-is-better rate: 100 − rate, never below 0 [INF].</summary>
    public static decimal? LowerIsBetter(decimal? rate) => rate is { } r ? Math.Max(0, 100 - r) : null;
}
