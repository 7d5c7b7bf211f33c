namespace GridGov.Realtime.Grains.Categories;

/// <summary>
/// A 小类: 4-digit code (2 major + 2 minor, DOMAIN.md §2 event type format, used for components too),
/// its 立案条件 and, for each urgency it admits, the step limits. A category need not admit every urgency.
/// </summary>
public sealed record CaseCategory(
    CaseKind Kind,
    string Code,
    string Name,
    IReadOnlyList<string> FilingConditions,
    IReadOnlyDictionary<Urgency, StepLimits> Limits)
{
    public string MajorCode => Code[..2];

    public string MinorCode => Code[2..];
}
