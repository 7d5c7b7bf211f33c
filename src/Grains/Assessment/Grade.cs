namespace GridGov.Realtime.Grains.Assessment;

/// <summary>Grades of DOMAIN.md §5.</summary>
public enum Grade
{
    A,
    B,
    C,
    D,
    E,
}

public static class Grades
{
    /// <summary>A ≥90, B ≥75, C ≥60, D ≥40, E below 40; each lower bound belongs to the higher grade.</summary>
    public static Grade For(decimal score) => score switch
    {
        >= 90 => Grade.A,
        >= 75 => Grade.B,
        >= 60 => Grade.C,
        >= 40 => Grade.D,
        _ => Grade.E,
    };
}
