namespace GridGov.Realtime.Grains.Assessment;

/// <summary>The count-to-score tables of DOMAIN.md §5 [STD~].</summary>
public static class CountScores
{
    /// <summary>受理数 (more is better): ≥2001 → 100; ≥1201 → 90; ≥501 → 75; ≥301 → 60; ≥101 → 40; else 0.</summary>
    public static decimal Acceptances(int count) => NonNegative(count) switch
    {
        >= 2001 => 100,
        >= 1201 => 90,
        >= 501 => 75,
        >= 301 => 60,
        >= 101 => 40,
        _ => 0,
    };

    /// <summary>
    /// 派遣数 (more is better). DOMAIN.md gives no table for it, so it uses the 受理数 table: both
    /// count a command-centre position's throughput [INF].
    /// </summary>
    public static decimal Dispatches(int count) => Acceptances(count);

    /// <summary>Department 立案数 (fewer is better): ≤50 → 100; ≤100 → 90; ≤200 → 75; ≤500 → 60; ≤1000 → 40; else 0.</summary>
    public static decimal DepartmentFiled(int count) => NonNegative(count) switch
    {
        <= 50 => 100,
        <= 100 => 90,
        <= 200 => 75,
        <= 500 => 60,
        <= 1000 => 40,
        _ => 0,
    };

    /// <summary>
    /// Region 立案数 (fewer is better). 一类区域: 0 → 100; ≤2 → 90; ≤4 → 75; ≤6 → 60; ≤8 → 40; else 0.
    /// 二类区域: 0 → 100; ≤3 → 90; ≤5 → 75; ≤7 → 60; ≤9 → 40; else 0.
    /// </summary>
    public static decimal RegionFiled(int count, RegionClass regionClass)
    {
        // The 二类 steps are the 一类 steps shifted up by one case.
        var shift = regionClass switch
        {
            RegionClass.ClassOne => 0,
            RegionClass.ClassTwo => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(regionClass), regionClass, "Unknown region class."),
        };
        var n = NonNegative(count);
        if (n == 0) return 100;
        if (n <= 2 + shift) return 90;
        if (n <= 4 + shift) return 75;
        if (n <= 6 + shift) return 60;
        if (n <= 8 + shift) return 40;
        return 0;
    }

    private static int NonNegative(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count;
    }
}
