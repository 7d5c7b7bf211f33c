namespace GridGov.Realtime.Grains.Categories;

/// <summary>The lifecycle steps that run against a time limit (DOMAIN.md §3 steps 2, 3, 4 and 6).</summary>
public enum CaseStep
{
    /// <summary>立案</summary>
    Filing,

    /// <summary>派遣</summary>
    Dispatch,

    /// <summary>处置</summary>
    Handling,

    /// <summary>核查 (the check after handling, not 核实 before filing)</summary>
    Checking,
}
