using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Actors.Hosting;

/// <summary>Runtime settings, bound from the "Actors" configuration section.</summary>
public sealed class ActorRuntimeOptions
{
    public const string SectionName = "Actors";
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultCollectionQuantum = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultMinimumReminderPeriod = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultReminderRetryDelay = TimeSpan.FromSeconds(5);
    public const int DefaultMaxRemindersInFlight = 10_000;

    /// <summary>An activation with no turn for this long is deactivated.</summary>
    public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

    /// <summary>How often the idle collector looks; idle activations live up to IdleTimeout + CollectionQuantum.</summary>
    public TimeSpan CollectionQuantum { get; set; } = DefaultCollectionQuantum;

    /// <summary>Reminders are for coarse, durable schedules; sub-second work belongs in timers.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = DefaultMinimumReminderPeriod;

    /// <summary>A one-shot reminder whose handler failed is delivered again after this delay.</summary>
    public TimeSpan ReminderRetryDelay { get; set; } = DefaultReminderRetryDelay;

    /// <summary>
    /// Most reminder ticks delivered and not yet handled by their grains. Steady firing stays far
    /// below it; it bounds bursts, e.g. a restart that finds a million case deadlines due at once.
    /// </summary>
    public int MaxRemindersInFlight { get; set; } = DefaultMaxRemindersInFlight;

    /// <summary>Round-trip every message argument and result through JSON (tests turn this on to prove messages are serialisable).</summary>
    public bool SerializeMessages { get; set; }
}

internal sealed class ActorRuntimeOptionsValidator : IValidateOptions<ActorRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, ActorRuntimeOptions options)
    {
        var errors = new List<string>();
        if (options.CollectionQuantum <= TimeSpan.Zero) errors.Add("Actors:CollectionQuantum must be positive.");
        if (options.IdleTimeout < options.CollectionQuantum) errors.Add("Actors:IdleTimeout must be at least Actors:CollectionQuantum.");
        if (options.MinimumReminderPeriod < TimeSpan.FromSeconds(1)) errors.Add("Actors:MinimumReminderPeriod must be at least 1 second.");
        if (options.ReminderRetryDelay <= TimeSpan.Zero) errors.Add("Actors:ReminderRetryDelay must be positive.");
        if (options.MaxRemindersInFlight < 1) errors.Add("Actors:MaxRemindersInFlight must be at least 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
