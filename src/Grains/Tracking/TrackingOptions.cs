using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>Thresholds of the tracking pipeline, bound from configuration section <see cref="SectionName"/>.</summary>
public sealed class TrackingOptions
{
    public const string SectionName = "Tracking";

    public static readonly TimeSpan DefaultOfflineAfter = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DefaultPresenceSweepInterval = TimeSpan.FromSeconds(10);
    public const double DefaultImmobileRadiusMetres = 30;
    public static readonly TimeSpan DefaultImmobileAfter = TimeSpan.FromMinutes(20);
    public static readonly TimeSpan DefaultOutsideDwell = TimeSpan.FromMinutes(10);
    public const int DefaultLowBatteryPercent = 20;
    public const int DefaultLowBatteryHysteresis = 5;
    public const double DefaultMaxSpeedMetresPerSecond = 40;
    public const int DefaultImplausibleResetCount = 3;
    public const int DefaultMaxFixesPerPayload = 1000;
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultMaxFixAge = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultCountersPublishInterval = TimeSpan.FromSeconds(1);
    public const double DefaultPatrolCellMetres = 50;
    public static readonly TimeSpan DefaultMaxQueryWindow = TimeSpan.FromDays(7);
    public const OsmAndSpeedUnit DefaultOsmAndSpeedUnit = OsmAndSpeedUnit.Knots;

    /// <summary>A worker with no report for this long is offline (and, on duty, raises the "offline" alert).</summary>
    public TimeSpan OfflineAfter { get; set; } = DefaultOfflineAfter;

    /// <summary>How often an online worker's grain checks for silence; offline is detected within OfflineAfter + this.</summary>
    public TimeSpan PresenceSweepInterval { get; set; } = DefaultPresenceSweepInterval;

    /// <summary>An on-duty worker who stays within this radius for <see cref="ImmobileAfter"/> is immobile.</summary>
    public double ImmobileRadiusMetres { get; set; } = DefaultImmobileRadiusMetres;

    public TimeSpan ImmobileAfter { get; set; } = DefaultImmobileAfter;

    /// <summary>An on-duty worker outside every assigned grid for this long raises the "outside" alert.</summary>
    public TimeSpan OutsideDwell { get; set; } = DefaultOutsideDwell;

    /// <summary>Battery below this percentage raises "low_battery".</summary>
    public int LowBatteryPercent { get; set; } = DefaultLowBatteryPercent;

    /// <summary>"low_battery" clears only at LowBatteryPercent + this, so a battery hovering at the threshold does not flap.</summary>
    public int LowBatteryHysteresis { get; set; } = DefaultLowBatteryHysteresis;

    /// <summary>A fix implying a faster move than this (after accuracy slack) is implausible and dropped.</summary>
    public double MaxSpeedMetresPerSecond { get; set; } = DefaultMaxSpeedMetresPerSecond;

    /// <summary>
    /// After this many implausible fixes in a row the next one is accepted as the new reference: the
    /// earlier fix was the bad one (or the worker really moved, e.g. by car with the terminal off).
    /// </summary>
    public int ImplausibleResetCount { get; set; } = DefaultImplausibleResetCount;

    /// <summary>Most fixes accepted in one position payload (an array).</summary>
    public int MaxFixesPerPayload { get; set; } = DefaultMaxFixesPerPayload;

    /// <summary>A fix stamped further than this ahead of the server clock is rejected.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = DefaultMaxFutureSkew;

    /// <summary>A fix older than this (a terminal flushing a very old buffer, or a wrong clock) is rejected.</summary>
    public TimeSpan MaxFixAge { get; set; } = DefaultMaxFixAge;

    /// <summary>Grid and region grains publish changed counters at most this often.</summary>
    public TimeSpan CountersPublishInterval { get; set; } = DefaultCountersPublishInterval;

    /// <summary>Side of the coverage cells the patrol summary lays over each assigned grid.</summary>
    public double PatrolCellMetres { get; set; } = DefaultPatrolCellMetres;

    /// <summary>Longest from–to window the track and patrol APIs answer.</summary>
    public TimeSpan MaxQueryWindow { get; set; } = DefaultMaxQueryWindow;

    /// <summary>Unit of the OsmAnd <c>speed</c> parameter (Traccar's OsmAnd decoder and Traccar Client use knots).</summary>
    public OsmAndSpeedUnit OsmAndSpeedUnit { get; set; } = DefaultOsmAndSpeedUnit;
}

public enum OsmAndSpeedUnit
{
    Knots,
    MetresPerSecond,
    KilometresPerHour,
}

internal sealed class TrackingOptionsValidator : IValidateOptions<TrackingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackingOptions o)
    {
        var errors = new List<string>();
        if (o.OfflineAfter <= TimeSpan.Zero) errors.Add("Tracking:OfflineAfter must be positive.");
        if (o.PresenceSweepInterval <= TimeSpan.Zero || o.PresenceSweepInterval > o.OfflineAfter)
            errors.Add("Tracking:PresenceSweepInterval must be positive and at most Tracking:OfflineAfter.");
        if (o.ImmobileRadiusMetres <= 0) errors.Add("Tracking:ImmobileRadiusMetres must be positive.");
        if (o.ImmobileAfter <= TimeSpan.Zero) errors.Add("Tracking:ImmobileAfter must be positive.");
        if (o.OutsideDwell < TimeSpan.Zero) errors.Add("Tracking:OutsideDwell must not be negative.");
        if (o.LowBatteryPercent is < 0 or > 100) errors.Add("Tracking:LowBatteryPercent must be within 0–100.");
        if (o.LowBatteryHysteresis < 0 || o.LowBatteryPercent + o.LowBatteryHysteresis > 100)
            errors.Add("Tracking:LowBatteryHysteresis must be non-negative and LowBatteryPercent + LowBatteryHysteresis at most 100.");
        if (!(o.MaxSpeedMetresPerSecond > 0)) errors.Add("Tracking:MaxSpeedMetresPerSecond must be positive.");
        if (o.ImplausibleResetCount < 1) errors.Add("Tracking:ImplausibleResetCount must be at least 1.");
        if (o.MaxFixesPerPayload is < 1 or > 100_000) errors.Add("Tracking:MaxFixesPerPayload must be within 1–100000.");
        if (o.MaxFutureSkew < TimeSpan.Zero) errors.Add("Tracking:MaxFutureSkew must not be negative.");
        if (o.MaxFixAge <= TimeSpan.Zero) errors.Add("Tracking:MaxFixAge must be positive.");
        if (o.CountersPublishInterval <= TimeSpan.Zero) errors.Add("Tracking:CountersPublishInterval must be positive.");
        if (!(o.PatrolCellMetres >= 5)) errors.Add("Tracking:PatrolCellMetres must be at least 5.");
        if (o.MaxQueryWindow <= TimeSpan.Zero) errors.Add("Tracking:MaxQueryWindow must be positive.");
        if (!Enum.IsDefined(o.OsmAndSpeedUnit)) errors.Add("Tracking:OsmAndSpeedUnit must be Knots, MetresPerSecond or KilometresPerHour.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
