namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Shape of a generated city: <see cref="Districts"/> × <see cref="StreetsPerDistrict"/> ×
/// <see cref="CommunitiesPerStreet"/> communities, each with <see cref="GridsPerCommunity"/> grids
/// of about <see cref="CellSizeMetres"/>² (100 m → the 万米单元网格 of DOMAIN.md §1), or exactly
/// <see cref="TotalGrids"/> grids spread as evenly as possible over the communities.
/// </summary>
public sealed record SyntheticCityOptions
{
    public int Seed { get; init; } = 20260101;
    public int Districts { get; init; } = 3;
    public int StreetsPerDistrict { get; init; } = 3;
    public int CommunitiesPerStreet { get; init; } = 4;
    public int GridsPerCommunity { get; init; } = 9;
    /// <summary>When set, overrides <see cref="GridsPerCommunity"/>: some communities get one grid more than others.</summary>
    public int? TotalGrids { get; init; }
    /// <summary>Centre of the city (default: People's Square, Shanghai).</summary>
    public double CentreLat { get; init; } = 31.23;
    public double CentreLon { get; init; } = 121.47;
    public double CellSizeMetres { get; init; } = 100;
    /// <summary>Vertex jitter as a fraction of the cell size, 0..0.3; above that polygons could self-intersect.</summary>
    public double Jitter { get; init; } = 0.15;
    /// <summary>Fraction of grids that are 一类区域 (core areas).</summary>
    public double Class1Fraction { get; init; } = 0.3;
    /// <summary>The GB/T 2260 prefecture code of the city.</summary>
    public string CityCode { get; init; } = "310100";
    public string CityName { get; init; } = "合成市";
    public GridCodeScheme Scheme { get; init; } = GridCodeScheme.CjT213;

    /// <summary>A demo city: 3 districts, 36 communities, 324 grids.</summary>
    public static SyntheticCityOptions Demo { get; } = new();

    /// <summary>The benchmark city: 10 × 10 × 7 = 700 communities, 17,350 grids (24–25 each), ~175 km².</summary>
    public static SyntheticCityOptions Benchmark { get; } = new()
    {
        Districts = 10,
        StreetsPerDistrict = 10,
        CommunitiesPerStreet = 7,
        TotalGrids = 17_350,
    };
}
