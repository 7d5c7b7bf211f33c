using GridGov.Realtime.Grains.Geo;
using static GridGov.Realtime.Grains.Tests.Geo.GeoJsonFixtures;

namespace GridGov.Realtime.Grains.Tests.Geo;

public sealed class GeoJsonRegionImporterTests
{
    private static readonly GeoJsonRegionImporter Importer = new(GridCodeScheme.CjT213);

    private static ImportError SingleError(string json)
    {
        var result = Importer.Import(json);
        Assert.False(result.Succeeded);
        Assert.Null(result.Tree);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Valid_tree_imports_with_levels_parents_classes_and_areas()
    {
        var result = Importer.Import(Valid());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var tree = result.Tree!;
        Assert.Equal(6, tree.Count);
        var city = Assert.Single(tree.Roots);
        Assert.Equal(RegionLevel.City, city.Level);
        Assert.Equal(["31010400100101", "31010400100102"], tree.Grids.Select(g => g.Code));
        var grid = tree.Find("31010400100101")!;
        Assert.Equal(AreaClass.Class1, grid.AreaClass);
        Assert.Equal(AreaClass.Class2, tree.Find("31010400100102")!.AreaClass);
        Assert.Equal("310104001001", grid.ParentCode);
        Assert.Same(tree.Find("310104001001"), grid.Parent);
        Assert.Equal(RegionLevel.Grid, grid.Level);
        // 0.005° × 0.01° at 31.235°N: ≈ 476 m × 1109 m.
        Assert.InRange(grid.AreaM2, 0.52e6, 0.54e6);
        Assert.Equal(city.AreaM2, grid.AreaM2 * 2, 1e-3 * city.AreaM2);
    }

    [Fact]
    public void Malformed_json_reports_line_and_position()
    {
        var e = SingleError("{\"type\":\"FeatureCollection\",\n\"features\":[ {\"type\": } ]}");
        Assert.Equal("json", e.Field);
        Assert.Equal(2, e.Line);
        Assert.NotNull(e.BytePositionInLine);
        Assert.Contains("Not well-formed JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_must_be_a_feature_collection()
    {
        Assert.Equal("type", SingleError("{\"type\":\"Feature\"}").Field);
        Assert.Equal("features", SingleError("{\"type\":\"FeatureCollection\"}").Field);
    }

    [Fact]
    public void Missing_code_and_name_are_named()
    {
        var result = Importer.Import(With(5, Feature(null, Rect(Mid, S, E, N), name: null)));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.FeatureIndex == 5 && e.Field == "properties.code" && e.Message.Contains("required", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.FeatureIndex == 5 && e.Field == "properties.name");
    }

    [Fact]
    public void Invalid_code_is_reported_with_the_schemes_reason()
    {
        var e = SingleError(With(5, Feature("3101040010010", Rect(Mid, S, E, N))));
        Assert.Equal((5, "3101040010010", "properties.code"), (e.FeatureIndex!.Value, e.Code, e.Field));
        Assert.Contains("13 digits", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_must_be_a_string()
    {
        var feature = "{\"type\":\"Feature\",\"properties\":{\"code\":31010400100102,\"name\":\"x\"},\"geometry\":" + Rect(Mid, S, E, N) + "}";
        var e = SingleError(With(5, feature));
        Assert.Equal("properties.code", e.Field);
        Assert.Contains("JSON string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stated_level_must_match_the_code()
    {
        var e = SingleError(With(5, Feature("31010400100102", Rect(Mid, S, E, N), extra: ",\"level\":\"community\"")));
        Assert.Equal("properties.code", e.Field);
        Assert.Contains("is a grid code", e.Message, StringComparison.Ordinal);
        var unknown = SingleError(With(5, Feature("31010400100102", Rect(Mid, S, E, N), extra: ",\"level\":\"block\"")));
        Assert.Equal("properties.level", unknown.Field);
    }

    [Fact]
    public void Duplicate_codes_name_the_first_feature()
    {
        var e = SingleError(With(5, Feature("31010400100101", Rect(Mid, S, E, N))));
        Assert.Equal((5, "properties.code"), (e.FeatureIndex!.Value, e.Field));
        Assert.Contains("feature #4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parent_must_exist_below_the_top_level()
    {
        // Drop the community: both grids lose their parent.
        var f = ValidFeatures().ToList();
        f.RemoveAt(3);
        var result = Importer.Import(Collection([.. f]));
        Assert.Null(result.Tree);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("properties.parent", e.Field));
        Assert.Contains("'310104001001' is not in the file", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_parent_must_be_one_level_up_and_agree_with_the_code()
    {
        var skip = SingleError(With(5, Feature("31010400100102", Rect(Mid, S, E, N), extra: ",\"parent\":\"310104001\"")));
        Assert.Equal("properties.parent", skip.Field);
        Assert.Contains("must be a community (one level up)", skip.Message, StringComparison.Ordinal);

        var other = SingleError(With(5, Feature("31010400100102", Rect(Mid, S, E, N), extra: ",\"parent\":\"310104001002\"")));
        Assert.Contains("contradicts the code", other.Message, StringComparison.Ordinal);

        Assert.True(Importer.Import(With(5, Feature("31010400100102", Rect(Mid, S, E, N), extra: ",\"parent\":\"310104001001\""))).Succeeded);
    }

    [Fact]
    public void Area_class_only_on_grids_and_only_known_values()
    {
        var bad = SingleError(With(5, Feature("31010400100102", Rect(Mid, S, E, N), extra: ",\"areaClass\":\"三类\"")));
        Assert.Equal("properties.areaClass", bad.Field);
        var onCommunity = SingleError(With(3, Feature("310104001001", Rect(W, S, E, N), extra: ",\"areaClass\":1")));
        Assert.Equal((3, "properties.areaClass"), (onCommunity.FeatureIndex!.Value, onCommunity.Field));
    }

    [Fact]
    public void Unclosed_ring_is_reported_with_its_path()
    {
        var open = "{\"type\":\"Polygon\",\"coordinates\":[[[121.475,31.23],[121.48,31.23],[121.48,31.24],[121.475,31.24],[121.475,31.2301]]]}";
        var e = SingleError(With(5, Feature("31010400100102", open)));
        Assert.Equal(("31010400100102", "geometry.coordinates[0]"), (e.Code, e.Field));
        Assert.Contains("not closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ring_needs_four_positions()
    {
        var tiny = "{\"type\":\"Polygon\",\"coordinates\":[[[121.475,31.23],[121.48,31.23],[121.475,31.23]]]}";
        var e = SingleError(With(5, Feature("31010400100102", tiny)));
        Assert.Contains("at least 4 positions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinates_out_of_range_hint_at_swapped_order()
    {
        var swapped = "{\"type\":\"Polygon\",\"coordinates\":[[[31.23,121.475],[31.23,121.48],[31.24,121.48],[31.23,121.475]]]}";
        var e = SingleError(With(5, Feature("31010400100102", swapped)));
        Assert.Equal("geometry.coordinates[0][0]", e.Field);
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
        Assert.Contains("lon, lat", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_geometry_type_and_missing_geometry()
    {
        var point = "{\"type\":\"Point\",\"coordinates\":[121.475,31.23]}";
        Assert.Contains("Polygon or MultiPolygon", SingleError(With(5, Feature("31010400100102", point))).Message, StringComparison.Ordinal);
        var missing = SingleError(With(5, Feature("31010400100102", "null")));
        Assert.Equal("geometry", missing.Field);
    }

    [Fact]
    public void Self_intersecting_polygon_reports_reason_and_location()
    {
        // A bow tie: edges cross at (121.4775, 31.235).
        var bowTie = "{\"type\":\"Polygon\",\"coordinates\":[[[121.475,31.23],[121.48,31.24],[121.48,31.23],[121.475,31.24],[121.475,31.23]]]}";
        var e = SingleError(With(5, Feature("31010400100102", bowTie)));
        Assert.Equal("geometry", e.Field);
        Assert.Contains("Invalid geometry", e.Message, StringComparison.Ordinal);
        Assert.Contains("Self-intersection", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("lon 121.477", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Child_mostly_outside_its_parent_is_reported()
    {
        var e = SingleError(With(5, Feature("31010400100102", Rect(Mid + 0.004, S, E + 0.004, N))));
        Assert.Equal((5, "geometry"), (e.FeatureIndex!.Value, e.Field));
        Assert.Contains("outside its parent '310104001001'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Containment_tolerance_is_configurable()
    {
        var json = With(5, Feature("31010400100102", Rect(Mid, S, E + 0.0001, N)));   // 2% outside
        Assert.False(Importer.Import(json).Succeeded);
        Assert.True(new GeoJsonRegionImporter(GridCodeScheme.CjT213, new RegionImportOptions { ContainmentTolerance = 0.05 }).Import(json).Succeeded);
    }

    [Fact]
    public void Overlapping_grids_are_reported_with_the_overlap_area()
    {
        var e = SingleError(With(5, Feature("31010400100102", Rect(Mid - 0.001, S, E, N))));
        Assert.Equal((5, "geometry"), (e.FeatureIndex!.Value, e.Field));
        Assert.Contains("Overlaps grid '31010400100101' (feature #4)", e.Message, StringComparison.Ordinal);
        // 0.001° × 0.01° ≈ 95 m × 1109 m.
        Assert.Contains(" m²", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_errors_are_all_reported_and_nothing_is_returned()
    {
        var json = Collection(
            Feature("310100", Rect(W, S, E, N)),
            Feature("31010x", Rect(W, S, E, N)),
            Feature("310104001", Rect(W, S, E, N), name: ""),
            Feature("310104001", Rect(W, S, E, N)));
        var result = Importer.Import(json);
        Assert.Null(result.Tree);
        Assert.Contains(result.Errors, e => e.FeatureIndex == 1 && e.Field == "properties.code");
        Assert.Contains(result.Errors, e => e.FeatureIndex == 2 && e.Field == "properties.name");
        Assert.Contains(result.Errors, e => e.FeatureIndex == 3 && e.Message.StartsWith("Duplicate", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Field == "properties.parent");   // street without its district
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrEmpty(e.ToString())));
    }

    [Fact]
    public void Error_count_is_capped()
    {
        var features = Enumerable.Range(0, 20).Select(_ => Feature("bad", Rect(W, S, E, N))).ToArray();
        var result = new GeoJsonRegionImporter(GridCodeScheme.CjT213, new RegionImportOptions { MaxErrors = 5 }).Import(Collection(features));
        Assert.Equal(6, result.Errors.Count);
        Assert.Contains("Too many errors", result.Errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_is_reported_per_stage()
    {
        var seen = new List<ImportProgress>();
        var result = Importer.Import(Valid(), new SyncProgress(seen.Add));
        Assert.True(result.Succeeded);
        Assert.Contains(seen, p => p.Stage == "features" && p.Processed == 6 && p.Total == 6);
        Assert.Contains(seen, p => p.Stage == "overlaps");
        Assert.Equal("build", seen[^1].Stage);
    }

    [Fact]
    public void Stream_input_with_bom_is_accepted()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(Valid())).ToArray();
        using var stream = new MemoryStream(bytes);
        Assert.True(Importer.Import(stream).Succeeded);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want the calls in order, now.</summary>
    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
