using GridGov.Realtime.Grains.Geo;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>
/// Who may issue which level (section <c>Warnings</c>). DOMAIN.md §7 leaves the thresholds to the
/// province; these defaults follow the common practice that 二级 and above are issued at city level:
/// the issuer's region scope must be at <c>…Issuer</c> level or above, and the region the warning is
/// issued for at <c>…LowestTarget</c> level or above.
/// </summary>
public sealed class WarningOptions
{
    public const string SectionName = "Warnings";

    public RegionLevel RedIssuer { get; set; } = RegionLevel.City;
    public RegionLevel OrangeIssuer { get; set; } = RegionLevel.City;
    public RegionLevel YellowIssuer { get; set; } = RegionLevel.District;
    public RegionLevel BlueIssuer { get; set; } = RegionLevel.Street;

    public RegionLevel RedLowestTarget { get; set; } = RegionLevel.District;
    public RegionLevel OrangeLowestTarget { get; set; } = RegionLevel.District;
    public RegionLevel YellowLowestTarget { get; set; } = RegionLevel.Grid;
    public RegionLevel BlueLowestTarget { get; set; } = RegionLevel.Grid;

    /// <summary>Longest accepted reason / type text.</summary>
    public int MaxReasonLength { get; set; } = 2000;

    public RegionLevel IssuerFor(WarningLevel level) => level switch
    {
        WarningLevel.Red => RedIssuer,
        WarningLevel.Orange => OrangeIssuer,
        WarningLevel.Yellow => YellowIssuer,
        _ => BlueIssuer,
    };

    public RegionLevel LowestTargetFor(WarningLevel level) => level switch
    {
        WarningLevel.Red => RedLowestTarget,
        WarningLevel.Orange => OrangeLowestTarget,
        WarningLevel.Yellow => YellowLowestTarget,
        _ => BlueLowestTarget,
    };
}

internal sealed class WarningOptionsValidator : IValidateOptions<WarningOptions>
{
    public ValidateOptionsResult Validate(string? name, WarningOptions options)
    {
        var errors = new List<string>();
        foreach (var level in Enum.GetValues<WarningLevel>())
        {
            if (!Enum.IsDefined(options.IssuerFor(level))) errors.Add($"Warnings:{level}Issuer is not a region level.");
            if (!Enum.IsDefined(options.LowestTargetFor(level))) errors.Add($"Warnings:{level}LowestTarget is not a region level.");
        }
        // A more severe level may not be easier to issue than a lesser one.
        if (options.RedIssuer > options.OrangeIssuer || options.OrangeIssuer > options.YellowIssuer || options.YellowIssuer > options.BlueIssuer)
            errors.Add("Warnings: issuer levels must not get lower as the warning level rises (Red ≤ Orange ≤ Yellow ≤ Blue).");
        if (options.MaxReasonLength < 1) errors.Add("Warnings:MaxReasonLength must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
