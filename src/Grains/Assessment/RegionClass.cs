namespace GridGov.Realtime.Grains.Assessment;

/// <summary>A grid's area class, which selects the region 立案数 table (DOMAIN.md §1, §5).</summary>
public enum RegionClass
{
    /// <summary>一类区域 (stricter table).</summary>
    ClassOne,

    /// <summary>二类区域</summary>
    ClassTwo,
}
