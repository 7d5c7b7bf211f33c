using GridGov.Realtime.Grains.Assessment;

namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>Sums <see cref="CaseFacts"/> of a set of cases into the DOMAIN.md §5 counters of a region or department.</summary>
internal sealed class CaseCountersAccumulator
{
    private const int Bits = 14;
    private readonly int[] _counts = new int[Bits];
    private int _cases;

    /// <summary>Adds <paramref name="cases"/> cases that all have exactly <paramref name="facts"/>.</summary>
    public void Add(CaseFacts facts, int cases = 1)
    {
        _cases += cases;
        var bits = (int)facts;
        for (var i = 0; i < Bits; i++) _counts[i] += ((bits >> i) & 1) * cases;
    }

    private int Count(CaseFacts fact) => _counts[System.Numerics.BitOperations.Log2((uint)fact)];

    /// <summary>
    /// 上报数 = cases; 有效上报数 = 立案数 = filed; 应结案数 = 应派遣数 = filed − voided after filing; 应处置数 = dispatched;
    /// 返工数 = cases reworked at least once; 超期处置数 = cases with a late handling round.
    /// </summary>
    public CaseCounters ToCounters()
    {
        var filed = Count(CaseFacts.Filed);
        var voided = Count(CaseFacts.VoidedAfterFiling);
        return new CaseCounters
        {
            Reported = _cases,
            ValidReported = filed,
            Filed = filed,
            Voided = voided,
            ShouldDispatch = filed - voided,
            Dispatched = Count(CaseFacts.Dispatched),
            ShouldHandle = Count(CaseFacts.Dispatched),
            Handled = Count(CaseFacts.Handled),
            HandledOnTime = Count(CaseFacts.HandledOnTime),
            HandledOverdue = Count(CaseFacts.HandlingOverdue),
            ShouldClose = filed - voided,
            Closed = Count(CaseFacts.Closed),
            ClosedOnTime = Count(CaseFacts.ClosedOnTime),
            Reworked = Count(CaseFacts.Reworked),
            Suspended = Count(CaseFacts.Suspended),
            SupervisionReportsVerified = Count(CaseFacts.PublicReportVerified),
        };
    }
}
