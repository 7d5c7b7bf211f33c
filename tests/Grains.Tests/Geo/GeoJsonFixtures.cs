using System.Globalization;

namespace GridGov.Realtime.Grains.Tests.Geo;

/// <summary>Builds small GeoJSON documents by hand, so each test shows exactly what is wrong in its input.</summary>
internal static class GeoJsonFixtures
{
    // A 0.01° square near Shanghai split into two grids (west/east) in one community.
    public const double W = 121.47, E = 121.48, S = 31.23, N = 31.24, Mid = 121.475;

    public static string Rect(double w, double s, double e, double n) =>
        Inv($"{{\"type\":\"Polygon\",\"coordinates\":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}");

    public static string Feature(string? code, string geometry, string? name = "n", string extra = "") =>
        "{\"type\":\"Feature\",\"properties\":{" +
        (code is null ? "" : $"\"code\":\"{code}\",") +
        (name is null ? "" : $"\"name\":\"{name}\"") + extra +
        "},\"geometry\":" + geometry + "}";

    public static string Collection(params string[] features) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";

    /// <summary>The valid baseline tree: city, district, street, community, two grids.</summary>
    public static string[] ValidFeatures() =>
    [
        Feature("310100", Rect(W, S, E, N), "上海市"),
        Feature("310104", Rect(W, S, E, N), "徐汇区"),
        Feature("310104001", Rect(W, S, E, N), "街道"),
        Feature("310104001001", Rect(W, S, E, N), "社区"),
        Feature("31010400100101", Rect(W, S, Mid, N), "网格1", ",\"areaClass\":\"一类\""),
        Feature("31010400100102", Rect(Mid, S, E, N), "网格2", ",\"areaClass\":2"),
    ];

    public static string Valid() => Collection(ValidFeatures());

    /// <summary>The baseline with feature <paramref name="index"/> replaced.</summary>
    public static string With(int index, string feature)
    {
        var f = ValidFeatures();
        f[index] = feature;
        return Collection(f);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
