using GridGov.Realtime.Grains.Categories;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// Responder escalation (section <c>Escalations</c>). The acknowledgement timeout is per attempt: after it the
/// escalation moves to the next responder of the roster, then up to the parent region's roster. DOMAIN.md §4
/// gives urgent cases 10 minutes from report to dispatch (Taiyuan [CITY]); two minutes per responder leaves room
/// for a few of them inside that [INF].
/// </summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalations";
    public static readonly TimeSpan DefaultAckTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MinAckTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxAckTimeout = TimeSpan.FromDays(1);
    public const string DefaultAlertType = "sos";
    public const int DefaultMaxRosterSize = 20;
    public const int DefaultMaxClosedListed = 1000;
    public const int MaxNoteLength = 2000;

    /// <summary>How long each responder has to acknowledge.</summary>
    public TimeSpan AckTimeout { get; set; } = DefaultAckTimeout;

    /// <summary>Whether worker alerts of <see cref="AlertTypes"/> escalate.</summary>
    public bool EscalateAlerts { get; set; } = true;

    /// <summary>
    /// Worker alert types that escalate; null means <see cref="DefaultAlertType"/> only. Null rather than a default
    /// list because the configuration binder appends to an existing list instead of replacing it.
    /// </summary>
    public string[]? AlertTypes { get; set; }

    /// <summary>Whether cases at <see cref="MinCaseUrgency"/> or above escalate when reported or filed.</summary>
    public bool EscalateCases { get; set; } = true;

    public Urgency MinCaseUrgency { get; set; } = Urgency.Urgent;

    /// <summary>Most responders on one region's roster.</summary>
    public int MaxRosterSize { get; set; } = DefaultMaxRosterSize;

    /// <summary>Acknowledged escalations kept in the listing besides the open ones (oldest dropped first; each keeps its own state).</summary>
    public int MaxClosedListed { get; set; } = DefaultMaxClosedListed;

    public bool EscalatesAlert(string type) => EscalateAlerts && (AlertTypes ?? [DefaultAlertType]).Contains(type, StringComparer.Ordinal);
}

internal sealed class EscalationOptionsValidator : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        var errors = new List<string>();
        if (options.AckTimeout < EscalationOptions.MinAckTimeout || options.AckTimeout > EscalationOptions.MaxAckTimeout)
            errors.Add($"Escalations:AckTimeout must be between {EscalationOptions.MinAckTimeout} and {EscalationOptions.MaxAckTimeout}.");
        if (options.AlertTypes is { } types && (types.Length == 0 || types.Any(string.IsNullOrWhiteSpace)))
            errors.Add("Escalations:AlertTypes must list alert type names (e.g. [\"sos\"]); set Escalations:EscalateAlerts to false to turn alert escalation off.");
        if (!Enum.IsDefined(options.MinCaseUrgency)) errors.Add("Escalations:MinCaseUrgency is Normal, Important or Urgent.");
        if (options.MaxRosterSize is < 1 or > 1000) errors.Add("Escalations:MaxRosterSize must be between 1 and 1000.");
        if (options.MaxClosedListed < 0) errors.Add("Escalations:MaxClosedListed must not be negative.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
