using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Tests.Geo;

public sealed class SyntheticCityTests
{
    [Fact]
    public void Demo_city_has_the_requested_shape_and_valid_codes()
    {
        var city = SyntheticCity.Generate();
        var tree = city.Tree;
        Assert.Equal(1 + 3 + 9 + 36 + 324, tree.Count);
        var byLevel = tree.All().GroupBy(n => n.Level).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([1, 3, 9, 36, 324], new[] { RegionLevel.City, RegionLevel.District, RegionLevel.Street, RegionLevel.Community, RegionLevel.Grid }.Select(l => byLevel[l]));
        foreach (var n in tree.All())
        {
            Assert.True(tree.Scheme.TryValidate(n.Code, n.Level, out var error), error);
            Assert.Equal(tree.Scheme.ParentOf(n.Code), n.ParentCode);
        }
        Assert.Equal("310100", tree.Roots[0].Code);
        Assert.Contains(tree.Grids, g => g.AreaClass == AreaClass.Class1);
        Assert.Contains(tree.Grids, g => g.AreaClass == AreaClass.Class2);
    }

    [Fact]
    public void Grids_are_about_ten_thousand_square_metres()
    {
        var grids = SyntheticCity.Generate().Tree.Grids;
        Assert.All(grids, g => Assert.InRange(g.AreaM2, 6_000, 14_000));
        Assert.InRange(grids.Average(g => g.AreaM2), 9_800, 10_200);
    }

    [Fact]
    public void Generated_geojson_imports_clean_and_round_trips()
    {
        var city = SyntheticCity.Generate();
        var json = city.ToGeoJson();
        var result = new GeoJsonRegionImporter(GridCodeScheme.CjT213, new RegionImportOptions { ContainmentTolerance = 0, OverlapToleranceM2 = 0.01 })
            .Import(json);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Take(10)));
        Assert.Equal(city.Tree.Count, result.Tree!.Count);
        Assert.Equal(json, GeoJsonRegionExporter.ToGeoJson(result.Tree));
    }

    [Fact]
    public void Children_tile_their_parent_exactly()
    {
        var tree = SyntheticCity.Generate().Tree;
        foreach (var parent in tree.All().Where(n => n.Children.Count > 0))
        {
            var sum = parent.Children.Sum(c => c.Geometry.Area);
            Assert.Equal(parent.Geometry.Area, sum, parent.Geometry.Area * 1e-9);
            var union = NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(parent.Children.Select(c => c.Geometry).ToArray());
            Assert.True(union.EqualsTopologically(parent.Geometry), $"{parent.Code}: children do not tile it");
        }
    }

    [Fact]
    public void Same_seed_same_city_other_seed_other_city()
    {
        var a = SyntheticCity.Generate().ToGeoJson();
        Assert.Equal(a, SyntheticCity.Generate().ToGeoJson());
        Assert.NotEqual(a, SyntheticCity.Generate(SyntheticCityOptions.Demo with { Seed = 2 }).ToGeoJson());
    }

    [Fact]
    public void Beijing_scheme_and_uneven_totals()
    {
        var city = SyntheticCity.Generate(new SyntheticCityOptions
        {
            Scheme = GridCodeScheme.BeijingDb11, CityCode = "110100", Districts = 2, StreetsPerDistrict = 2, CommunitiesPerStreet = 3, TotalGrids = 100,
        });
        Assert.Equal(100, city.Tree.Grids.Count);
        Assert.All(city.Tree.Grids, g => Assert.Equal(15, g.Code.Length));
        var perCommunity = city.Tree.Grids.GroupBy(g => g.ParentCode).Select(g => g.Count()).ToArray();
        Assert.Equal(12, perCommunity.Length);
        Assert.InRange(perCommunity.Min(), 8, 9);
        Assert.Equal(perCommunity.Min() + 1, perCommunity.Max());
        var imported = new GeoJsonRegionImporter(GridCodeScheme.BeijingDb11).Import(city.ToGeoJson());
        Assert.True(imported.Succeeded, string.Join("\n", imported.Errors.Take(10)));
    }

    [Fact]
    public void Benchmark_city_has_17350_grids_and_every_point_in_bounds_has_a_grid()
    {
        var city = SyntheticCity.Generate(SyntheticCityOptions.Benchmark);
        Assert.Equal(17_350, city.Tree.Grids.Count);
        var index = GridIndex.Build(city.Tree);
        var rnd = new Random(3);
        var b = city.Bounds;
        for (var i = 0; i < 20_000; i++)
            Assert.NotNull(index.Locate(b.MinY + rnd.NextDouble() * b.Height, b.MinX + rnd.NextDouble() * b.Width));
        // ~10,000 m² each → ~173 km².
        Assert.InRange(city.Tree.Roots[0].AreaM2 / 1e6, 170, 177);
    }

    [Fact]
    public void Impossible_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SyntheticCity.Generate(SyntheticCityOptions.Demo with { Jitter = 0.5 }));
        Assert.Throws<ArgumentException>(() => SyntheticCity.Generate(SyntheticCityOptions.Demo with { CityCode = "310104" }));
        Assert.Throws<ArgumentException>(() => SyntheticCity.Generate(SyntheticCityOptions.Demo with { GridsPerCommunity = 100 }));
    }
}
