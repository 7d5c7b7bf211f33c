using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Sensors;

/// <summary>
/// What a sensor event leads to, bound from configuration section <see cref="SectionName"/> and validated
/// at start-up against the category catalogue. Severity is a level 1–5 (info, low, medium, high, critical).
/// </summary>
/// <remarks>
/// Defaults (catalogue codes from <see cref="DefaultCategoryCatalog"/>):
/// <code>
/// type                case from severity   category                   urgency   otherwise
/// manhole_cover_open  3 (medium)           Component 0101 上水井盖     Urgent    alert sensor_event
/// garbage_overflow    3                    Event 0102 暴露垃圾          Normal    alert
/// waterlogging        3                    Event 0104 道路不洁 (积水)   Normal    alert
/// smoke               alert only (critical): the catalogue has no fire category; 119 handles fires
/// illegal_parking     alert only           (no category in the default catalogue)
/// crowd               alert only
/// (any other type)    alert only, default dedup window
/// </code>
/// Configuration may add types or override a default per field, e.g.
/// <c>"Sensors": { "Events": { "smoke": { "CaseMinSeverity": 4, "CaseKind": "Event", "CategoryCode": "0505" } } }</c>.
/// </remarks>
public sealed class SensorEventRulesOptions
{
    public const string SectionName = "Sensors";

    public static readonly TimeSpan DefaultDedupWindow = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultMaxEventAge = TimeSpan.FromDays(1);
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromMinutes(5);
    public const int MinSeverity = 1;
    public const int MaxSeverity = 5;

    /// <summary>Dedup window of types without their own (and of unknown types).</summary>
    public TimeSpan DefaultDedupWindowLength { get; set; } = DefaultDedupWindow;

    /// <summary>With no heartbeat or event for this long, an online sensor raises <c>sensor_offline</c>.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = DefaultHeartbeatTimeout;

    /// <summary>An event or heartbeat stamped earlier than this before the server clock is rejected (a very old buffer or a wrong clock).</summary>
    public TimeSpan MaxEventAge { get; set; } = DefaultMaxEventAge;

    /// <summary>An event or heartbeat stamped further than this ahead of the server clock is rejected.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = DefaultMaxFutureSkew;

    /// <summary>Rules by event type (lower-case, as in the payload's <c>type</c>).</summary>
    public Dictionary<string, SensorEventRule> Events { get; set; } = Defaults();

    /// <summary>The rule for a type: its own, or alert-only with the default window for a type nobody configured.</summary>
    public SensorEventRule RuleFor(string type) =>
        Events.TryGetValue(type, out var rule) ? rule : new SensorEventRule { AlertSeverity = AlertSeverity.Warning };

    /// <summary>The dedup window for a type.</summary>
    public TimeSpan WindowFor(SensorEventRule rule) => rule.DedupWindow ?? DefaultDedupWindowLength;

    public static Dictionary<string, SensorEventRule> Defaults() => new(StringComparer.Ordinal)
    {
        [SensorEventTypes.ManholeCoverOpen] = new() { CaseMinSeverity = 3, CaseKind = Categories.CaseKind.Component, CategoryCode = "0101", Urgency = Categories.Urgency.Urgent, AlertSeverity = AlertSeverity.Critical, Description = "井盖开启/移位（传感器自动上报）" },
        [SensorEventTypes.GarbageOverflow] = new() { CaseMinSeverity = 3, CaseKind = Categories.CaseKind.Event, CategoryCode = "0102", Urgency = Categories.Urgency.Normal, Description = "垃圾满溢/暴露垃圾（视频分析自动上报）" },
        [SensorEventTypes.Waterlogging] = new() { CaseMinSeverity = 3, CaseKind = Categories.CaseKind.Event, CategoryCode = "0104", Urgency = Categories.Urgency.Normal, Description = "路面积水（传感器自动上报）" },
        [SensorEventTypes.Smoke] = new() { AlertSeverity = AlertSeverity.Critical },
        [SensorEventTypes.IllegalParking] = new() { AlertSeverity = AlertSeverity.Warning },
        [SensorEventTypes.Crowd] = new() { AlertSeverity = AlertSeverity.Warning },
    };
}

/// <summary>One event type's rule. Without <see cref="CaseMinSeverity"/> the type only ever raises an alert.</summary>
public sealed class SensorEventRule
{
    /// <summary>Repeats of the type from the same sensor within this quiet period count against the open case or alert (null: the default window).</summary>
    public TimeSpan? DedupWindow { get; set; }

    /// <summary>Events at or above this severity (1–5) open a case; below it they raise an alert. Null: alert only.</summary>
    public int? CaseMinSeverity { get; set; }

    public CaseKind? CaseKind { get; set; }

    /// <summary>The category code in the catalogue (e.g. 0101 for component 上水井盖).</summary>
    public string? CategoryCode { get; set; }

    public Urgency Urgency { get; set; } = Urgency.Normal;

    /// <summary>Severity of the <c>sensor_event</c> alert raised when no case is opened.</summary>
    public AlertSeverity AlertSeverity { get; set; } = AlertSeverity.Warning;

    /// <summary>The case description (the event type when empty).</summary>
    public string? Description { get; set; }

    public bool OpensCases => CaseMinSeverity is not null;
}

/// <summary>Event types the default rules know.</summary>
public static class SensorEventTypes
{
    public const string ManholeCoverOpen = "manhole_cover_open";
    public const string Waterlogging = "waterlogging";
    public const string Smoke = "smoke";
    public const string IllegalParking = "illegal_parking";
    public const string GarbageOverflow = "garbage_overflow";
    public const string Crowd = "crowd";
}

/// <summary>Checks the rules against the catalogue, so a typo in a category code fails the start, not the first manhole alarm.</summary>
internal sealed class SensorEventRulesOptionsValidator(CategoryCatalog catalog) : IValidateOptions<SensorEventRulesOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorEventRulesOptions o)
    {
        var errors = new List<string>();
        if (o.DefaultDedupWindowLength <= TimeSpan.Zero) errors.Add("Sensors:DefaultDedupWindowLength must be positive.");
        if (o.HeartbeatTimeout <= TimeSpan.Zero) errors.Add("Sensors:HeartbeatTimeout must be positive.");
        if (o.MaxEventAge <= TimeSpan.Zero) errors.Add("Sensors:MaxEventAge must be positive.");
        if (o.MaxFutureSkew < TimeSpan.Zero) errors.Add("Sensors:MaxFutureSkew must not be negative.");
        foreach (var (type, rule) in o.Events ?? [])
        {
            var at = $"Sensors:Events:{type}";
            if (!SensorPayloadParser.IsEventType(type)) errors.Add($"{at}: an event type is 1–{SensorPayloadParser.MaxTypeLength} lower-case letters, digits or '_'.");
            if (rule is null) { errors.Add($"{at} is empty."); continue; }
            if (rule.DedupWindow is { } w && w <= TimeSpan.Zero) errors.Add($"{at}:DedupWindow must be positive.");
            if (!Enum.IsDefined(rule.AlertSeverity)) errors.Add($"{at}:AlertSeverity must be Info, Warning or Critical.");
            if (rule.CaseMinSeverity is not { } min) continue;
            if (min is < SensorEventRulesOptions.MinSeverity or > SensorEventRulesOptions.MaxSeverity) errors.Add($"{at}:CaseMinSeverity must be within 1–5.");
            if (rule.CaseKind is not { } kind || !Enum.IsDefined(kind) || string.IsNullOrWhiteSpace(rule.CategoryCode))
            {
                errors.Add($"{at}: a rule that opens cases needs CaseKind (Component or Event) and CategoryCode.");
                continue;
            }
            if (catalog.Find(kind, rule.CategoryCode) is not { } category) errors.Add($"{at}: there is no {kind} category {rule.CategoryCode} in the catalogue.");
            else if (!category.Limits.ContainsKey(rule.Urgency)) errors.Add($"{at}: category {category.Code} {category.Name} does not admit urgency {rule.Urgency}.");
            if (rule.Description is { Length: > CaseWorkflow.MaxNoteLength - 200 }) errors.Add($"{at}:Description is too long.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
