namespace GridGov.Realtime.Grains.Assessment;

/// <summary>
/// The rates of DOMAIN.md §5 as unrounded percentages (0–100; 漏报率 can exceed 100). Null means
/// "not applicable": the denominator is 0, so there was nothing to measure, which is neither 0 % nor 100 %.
/// Round only for display (<see cref="Percent.Display"/>).
/// </summary>
public static class Rates
{
    /// <summary>结案率 = 结案数 / 应结案数 [STD~].</summary>
    public static decimal? Closure(CaseCounters c) => Ratio(c.Closed, c.ShouldClose);

    /// <summary>按期结案率 = 按期结案数 / 应结案数 [STD~/CITY].</summary>
    public static decimal? OnTimeClosure(CaseCounters c) => Ratio(c.ClosedOnTime, c.ShouldClose);

    /// <summary>Jinhua 按期结案率 = 按期结案数 / (应结案数 − 缓办数) [CITY].</summary>
    public static decimal? OnTimeClosureJinhua(CaseCounters c) => Ratio(c.ClosedOnTime, c.ShouldClose - c.Deferred);

    /// <summary>按时处置率 = 按时处置数 / 应处置数 [STD~].</summary>
    public static decimal? OnTimeHandling(CaseCounters c) => Ratio(c.HandledOnTime, c.ShouldHandle);

    /// <summary>返工率 = 返工数 / 应结案数, the repo's denominator [STD~]; lower is better.</summary>
    public static decimal? Rework(CaseCounters c) => Ratio(c.Reworked, c.ShouldClose);

    /// <summary>超期率 = 超期处置数 / 应处置数 [INF]; lower is better.</summary>
    public static decimal? Overdue(CaseCounters c) => Ratio(c.HandledOverdue, c.ShouldHandle);

    /// <summary>立案率 = 立案数 / 有效上报数 [INF].</summary>
    public static decimal? Filing(CaseCounters c) => Ratio(c.Filed, c.ValidReported);

    /// <summary>有效上报率 = 有效上报数 / 上报数 [STD~].</summary>
    public static decimal? ValidReport(CaseCounters c) => Ratio(c.ValidReported, c.Reported);

    /// <summary>漏报率 = 漏报数 / 立案数 [STD~]; lower is better.</summary>
    public static decimal? MissedReport(CaseCounters c) => Ratio(c.MissedReports, c.Filed);

    /// <summary>监督举报率 = 监督举报核实数 / 立案数 [STD~]; lower is better.</summary>
    public static decimal? SupervisionReport(CaseCounters c) => Ratio(c.SupervisionReportsVerified, c.Filed);

    /// <summary>按时核实率 = 按时核实数 / 应核实数 [STD~].</summary>
    public static decimal? OnTimeVerification(CaseCounters c) => Ratio(c.VerifiedOnTime, c.ShouldVerify);

    /// <summary>按时核查率 = 按时核查数 / 应核查数 [STD~].</summary>
    public static decimal? OnTimeCheck(CaseCounters c) => Ratio(c.CheckedOnTime, c.ShouldCheck);

    /// <summary>按时派遣率 = 按时派遣数 / 应派遣数 [STD~].</summary>
    public static decimal? OnTimeDispatch(CaseCounters c) => Ratio(c.DispatchedOnTime, c.ShouldDispatch);

    /// <summary>准确派遣率 = (应派遣数 − 返工数) / 应派遣数 [STD~].</summary>
    public static decimal? AccurateDispatch(CaseCounters c) => Ratio(c.ShouldDispatch - c.Reworked, c.ShouldDispatch);

    /// <summary>按时立案率 = 按时立案数 / 立案数 [STD~].</summary>
    public static decimal? OnTimeFiling(CaseCounters c) => Ratio(c.FiledOnTime, c.Filed);

    /// <summary>准确立案率 = (立案数 − 作废数) / 立案数 [STD~].</summary>
    public static decimal? AccurateFiling(CaseCounters c) => Ratio(c.Filed - c.Voided, c.Filed);

    /// <summary>核实按时派发率 (受理员) = 核实按时派发数 / 应派发核实数.</summary>
    public static decimal? OnTimeVerifyTaskSending(CaseCounters c) => Ratio(c.VerifyTasksSentOnTime, c.VerifyTasksDue);

    /// <summary>核查按时派发率 (受理员) = 核查按时派发数 / 应派发核查数.</summary>
    public static decimal? OnTimeCheckTaskSending(CaseCounters c) => Ratio(c.CheckTasksSentOnTime, c.CheckTasksDue);

    /// <summary>按时结案率 (值班长) = 按时结案操作数 / 应结案操作数.</summary>
    public static decimal? OnTimeClosingStep(CaseCounters c) => Ratio(c.ClosingStepsOnTime, c.ClosingStepsDue);

    // Negative terms mean the counters contradict each other (more rework than dispatches, more
    // deferred than due); a clear error beats a plausible-looking wrong score.
    private static decimal? Ratio(int numerator, int denominator)
    {
        if (numerator < 0 || denominator < 0)
            throw new ArgumentException($"Inconsistent counters: rate {numerator}/{denominator} has a negative term.");
        return denominator == 0 ? null : numerator * 100m / denominator;
    }
}
