using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// 督办 up the region chain (section <c>CaseEscalation</c>). DOMAIN.md §3 names the trigger (overdue) and the
/// direction (higher-level coordination) but no delays; the defaults are [INF]: escalate to the street as soon
/// as a step is overdue, then one level further each time the case stays overdue for the urgency's interval,
/// up to the city. Intervals run on the continuous clock: the supervision centre watches around the clock,
/// as 紧急工作时 do (DOMAIN.md §4), and 挂账 / pending 延期 time is left out.
/// </summary>
public sealed class CaseEscalationOptions
{
    public const string SectionName = "CaseEscalation";
    public const bool DefaultEnabled = true;
    public static readonly TimeSpan DefaultFirstAfter = TimeSpan.Zero;
    public static readonly TimeSpan DefaultNormalInterval = TimeSpan.FromHours(4);
    public static readonly TimeSpan DefaultImportantInterval = TimeSpan.FromHours(2);
    public static readonly TimeSpan DefaultUrgentInterval = TimeSpan.FromMinutes(30);
    public const RegionLevel DefaultFirstTarget = RegionLevel.Street;
    public const RegionLevel DefaultTopTarget = RegionLevel.City;

    /// <summary>Off: overdue steps are still recorded and notified, but nobody above the community is escalated to.</summary>
    public bool Enabled { get; set; } = DefaultEnabled;

    /// <summary>How long after the missed deadline the first escalation goes out (zero: at once).</summary>
    public TimeSpan FirstAfter { get; set; } = DefaultFirstAfter;

    /// <summary>How long each level has, while the step stays overdue, before the next level up is escalated to (一般).</summary>
    public TimeSpan NormalInterval { get; set; } = DefaultNormalInterval;

    /// <summary>As <see cref="NormalInterval"/> for 重要 cases.</summary>
    public TimeSpan ImportantInterval { get; set; } = DefaultImportantInterval;

    /// <summary>As <see cref="NormalInterval"/> for 紧急 cases.</summary>
    public TimeSpan UrgentInterval { get; set; } = DefaultUrgentInterval;

    /// <summary>The lowest region level escalated to (the community that owns the grid is the one that missed the deadline).</summary>
    public RegionLevel FirstTarget { get; set; } = DefaultFirstTarget;

    /// <summary>The highest region level escalated to; escalation stops there.</summary>
    public RegionLevel TopTarget { get; set; } = DefaultTopTarget;

    public TimeSpan IntervalFor(Urgency urgency) => urgency switch
    {
        Urgency.Urgent => UrgentInterval,
        Urgency.Important => ImportantInterval,
        _ => NormalInterval,
    };
}

internal sealed class CaseEscalationOptionsValidator : IValidateOptions<CaseEscalationOptions>
{
    // Reminders are for coarse schedules (DESIGN.md, actor runtime); a level needs time to act anyway.
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, CaseEscalationOptions options)
    {
        var errors = new List<string>();
        const string S = CaseEscalationOptions.SectionName;
        if (options.FirstAfter < TimeSpan.Zero || options.FirstAfter > MaximumDelay)
            errors.Add($"{S}:FirstAfter must be between 00:00:00 and {MaximumDelay.TotalDays} days; got {options.FirstAfter}.");
        foreach (var (field, value) in new[] { ("NormalInterval", options.NormalInterval), ("ImportantInterval", options.ImportantInterval), ("UrgentInterval", options.UrgentInterval) })
        {
            if (value < MinimumInterval || value > MaximumDelay)
                errors.Add($"{S}:{field} must be between {MinimumInterval} and {MaximumDelay.TotalDays} days; got {value}.");
        }
        if (options.UrgentInterval > options.ImportantInterval || options.ImportantInterval > options.NormalInterval)
            errors.Add($"{S}: a more urgent case may not wait longer per level (UrgentInterval ≤ ImportantInterval ≤ NormalInterval).");
        if (!Enum.IsDefined(options.FirstTarget) || options.FirstTarget is RegionLevel.Grid or RegionLevel.Community)
            errors.Add($"{S}:FirstTarget must be Street, District or City (the community owns the overdue step); got {options.FirstTarget}.");
        if (!Enum.IsDefined(options.TopTarget) || options.TopTarget > options.FirstTarget)
            errors.Add($"{S}:TopTarget must be a region level at or above FirstTarget ({options.FirstTarget}); got {options.TopTarget}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
