using GridGov.Realtime.Grains.Calendar;

namespace GridGov.Realtime.Grains.Categories;

/// <summary>The time limit of each timed step for one category at one urgency (DOMAIN.md §4).</summary>
public sealed record StepLimits(TimeLimit Filing, TimeLimit Dispatch, TimeLimit Handling, TimeLimit Checking)
{
    public TimeLimit For(CaseStep step) => step switch
    {
        CaseStep.Filing => Filing,
        CaseStep.Dispatch => Dispatch,
        CaseStep.Handling => Handling,
        CaseStep.Checking => Checking,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Unknown case step."),
    };
}
