using System.Globalization;

namespace GridGov.Realtime.Grains.Assessment;

/// <summary>Presentation of rates and scores: two decimals, half away from zero (四舍五入), only here.</summary>
public static class Percent
{
    public const string NotApplicable = "N/A";

    public static decimal? Round(decimal? value) =>
        value is { } v ? decimal.Round(v, 2, MidpointRounding.AwayFromZero) : null;

    /// <summary>"93.72%", or <see cref="NotApplicable"/> when the rate had nothing to measure.</summary>
    public static string Display(decimal? value) =>
        Round(value) is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "%" : NotApplicable;
}
