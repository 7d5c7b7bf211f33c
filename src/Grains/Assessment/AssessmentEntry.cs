namespace GridGov.Realtime.Grains.Assessment;

/// <summary>Who is assessed (DOMAIN.md §5 composite score table).</summary>
public enum AssessedObjectType
{
    Region,
    Department,
    Supervisor,
    Acceptor,
    ShiftLeader,
    Dispatcher,
}

/// <summary>One object's composite score in one period.</summary>
public sealed record AssessmentEntry(AssessedObjectType Type, string ObjectId, AssessmentPeriod Period, CompositeScore Score);

/// <summary>An entry with its rank within its type and period; null rank when the score is not applicable.</summary>
public sealed record RankedEntry(AssessmentEntry Entry, int? Rank)
{
    public Grade? Grade => Entry.Score.Grade;
}
