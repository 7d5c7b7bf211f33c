namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>
/// The yes/no facts the DOMAIN.md §5 counters count, packed into one integer column (<c>facts</c>) so
/// the statistics index holds them in a couple of bytes per case and a district's year of cases is read
/// from one narrow index range.
/// </summary>
[Flags]
public enum CaseFacts
{
    None = 0,
    Filed = 1 << 0,
    /// <summary>Voided after it had been filed (counts against 准确立案率 and out of 应结案数).</summary>
    VoidedAfterFiling = 1 << 1,
    Dispatched = 1 << 2,
    Handled = 1 << 3,
    HandledOnTime = 1 << 4,
    HandlingOverdue = 1 << 5,
    Closed = 1 << 6,
    ClosedOnTime = 1 << 7,
    Reworked = 1 << 8,
    Suspended = 1 << 9,
    PublicReportVerified = 1 << 10,
    Checked = 1 << 11,
    CheckedOnTime = 1 << 12,
    EverOverdue = 1 << 13,
}

public static class CaseFactsExtensions
{
    public static CaseFacts Facts(this CaseSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var f = CaseFacts.None;
        if (s.Filed) f |= CaseFacts.Filed;
        if (s.Filed && s.Voided) f |= CaseFacts.VoidedAfterFiling;
        if (s.Dispatched) f |= CaseFacts.Dispatched;
        if (s.Handled) f |= CaseFacts.Handled;
        if (s.HandledOnTime) f |= CaseFacts.HandledOnTime;
        if (s.HandlingOverdue) f |= CaseFacts.HandlingOverdue;
        if (s.Closed) f |= CaseFacts.Closed;
        if (s.ClosedOnTime) f |= CaseFacts.ClosedOnTime;
        if (s.ReworkCount > 0) f |= CaseFacts.Reworked;
        if (s.Suspended) f |= CaseFacts.Suspended;
        if (s.PublicReportVerified) f |= CaseFacts.PublicReportVerified;
        if (s.CheckOnTime is not null) f |= CaseFacts.Checked;
        if (s.CheckOnTime == true) f |= CaseFacts.CheckedOnTime;
        if (s.EverOverdue) f |= CaseFacts.EverOverdue;
        return f;
    }
}
