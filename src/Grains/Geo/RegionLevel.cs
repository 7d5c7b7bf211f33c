namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// The nesting levels of the grid-management region tree (DOMAIN.md §1): city ⊃ district/county ⊃
/// street ⊃ community ⊃ unit grid. Values are ordered from the top so that
/// <c>child == parent + 1</c> holds for every edge of the tree.
/// </summary>
public enum RegionLevel
{
    City = 0,
    District = 1,
    Street = 2,
    Community = 3,
    Grid = 4,
}

/// <summary>Region class of a unit grid (一类/二类区域); it selects the scoring table in evaluation (DOMAIN.md §5).</summary>
public enum AreaClass
{
    Class1 = 1,
    Class2 = 2,
}

/// <summary>Names of levels and area classes as they appear in GeoJSON properties.</summary>
public static class RegionLevelNames
{
    public static string ToWireName(this RegionLevel level) => level switch
    {
        RegionLevel.City => "city",
        RegionLevel.District => "district",
        RegionLevel.Street => "street",
        RegionLevel.Community => "community",
        RegionLevel.Grid => "grid",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown region level."),
    };

    public static bool TryParse(string? name, out RegionLevel level)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "city": level = RegionLevel.City; return true;
            case "district" or "county": level = RegionLevel.District; return true;
            case "street" or "town": level = RegionLevel.Street; return true;
            case "community": level = RegionLevel.Community; return true;
            case "grid": level = RegionLevel.Grid; return true;
            default: level = default; return false;
        }
    }

    public static string ToWireName(this AreaClass areaClass) => areaClass switch
    {
        AreaClass.Class1 => "一类",
        AreaClass.Class2 => "二类",
        _ => throw new ArgumentOutOfRangeException(nameof(areaClass), areaClass, "Unknown area class."),
    };
}
