namespace GridGov.Realtime.Grains.Assessment;

/// <summary>
/// What the read model counts for one assessed object (region, department or person) in one period;
/// every rate and score in DOMAIN.md §5 is computed from these. Counters an object does not have
/// stay 0, and a rate whose denominator is 0 is "not applicable".
/// </summary>
public sealed record CaseCounters
{
    /// <summary>上报数: reports raised (监督员).</summary>
    public int Reported { get; init; }

    /// <summary>有效上报数: reports that met a 立案条件.</summary>
    public int ValidReported { get; init; }

    /// <summary>受理数: reports accepted (受理员).</summary>
    public int Accepted { get; init; }

    /// <summary>立案数: cases filed (for a department: filed against it; for a region: inside it).</summary>
    public int Filed { get; init; }

    /// <summary>按时立案数</summary>
    public int FiledOnTime { get; init; }

    /// <summary>作废数</summary>
    public int Voided { get; init; }

    /// <summary>应派遣数</summary>
    public int ShouldDispatch { get; init; }

    /// <summary>派遣数: dispatches made (派遣员), scored by count.</summary>
    public int Dispatched { get; init; }

    /// <summary>按时派遣数</summary>
    public int DispatchedOnTime { get; init; }

    /// <summary>返工数: re-dispatches to the same department after a failed 核查 (DOMAIN.md §3).</summary>
    public int Reworked { get; init; }

    /// <summary>应处置数</summary>
    public int ShouldHandle { get; init; }

    /// <summary>处置数</summary>
    public int Handled { get; init; }

    /// <summary>按时处置数</summary>
    public int HandledOnTime { get; init; }

    /// <summary>超期处置数</summary>
    public int HandledOverdue { get; init; }

    /// <summary>应结案数</summary>
    public int ShouldClose { get; init; }

    /// <summary>结案数</summary>
    public int Closed { get; init; }

    /// <summary>按期结案数</summary>
    public int ClosedOnTime { get; init; }

    /// <summary>缓办数: deferred cases, left out of the Jinhua 按期结案率 denominator.</summary>
    public int Deferred { get; init; }

    /// <summary>挂账数: suspended cases; reported alongside the rates, in no §5 formula.</summary>
    public int Suspended { get; init; }

    /// <summary>应核实数: verifications (核实, before filing) due from a 监督员.</summary>
    public int ShouldVerify { get; init; }

    /// <summary>按时核实数</summary>
    public int VerifiedOnTime { get; init; }

    /// <summary>应核查数: checks (核查, after handling) due from a 监督员.</summary>
    public int ShouldCheck { get; init; }

    /// <summary>按时核查数</summary>
    public int CheckedOnTime { get; init; }

    /// <summary>漏报数: problems the 监督员 missed that the public reported and were verified.</summary>
    public int MissedReports { get; init; }

    /// <summary>监督举报核实数: verified public reports in a region.</summary>
    public int SupervisionReportsVerified { get; init; }

    /// <summary>应派发核实数: verification tasks a 受理员 had to send.</summary>
    public int VerifyTasksDue { get; init; }

    /// <summary>核实按时派发数</summary>
    public int VerifyTasksSentOnTime { get; init; }

    /// <summary>应派发核查数: check tasks a 受理员 had to send.</summary>
    public int CheckTasksDue { get; init; }

    /// <summary>核查按时派发数</summary>
    public int CheckTasksSentOnTime { get; init; }

    /// <summary>应结案操作数: closing steps due from a 值班长 (the position's own step, not the case's 按期).</summary>
    public int ClosingStepsDue { get; init; }

    /// <summary>按时结案操作数</summary>
    public int ClosingStepsOnTime { get; init; }
}
