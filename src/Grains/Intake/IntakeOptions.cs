using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>Limits on reports entering through the intake channels, section <see cref="SectionName"/>.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>A terminal may hold reports while out of coverage for a shift or two.</summary>
    public static readonly TimeSpan DefaultMaxReportAge = TimeSpan.FromDays(3);
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromMinutes(5);
    public const int DefaultMaxReportBytes = 16 * 1024;

    public TimeSpan MaxReportAge { get; set; } = DefaultMaxReportAge;
    public TimeSpan MaxFutureSkew { get; set; } = DefaultMaxFutureSkew;

    /// <summary>Photos are references, so a report is a few hundred bytes; far larger payloads are refused unread.</summary>
    public int MaxReportBytes { get; set; } = DefaultMaxReportBytes;
}

internal sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MaxReportAge <= TimeSpan.Zero) errors.Add($"{IntakeOptions.SectionName}:MaxReportAge must be positive.");
        if (options.MaxFutureSkew < TimeSpan.Zero) errors.Add($"{IntakeOptions.SectionName}:MaxFutureSkew must not be negative.");
        if (options.MaxReportBytes is < 256 or > 1024 * 1024) errors.Add($"{IntakeOptions.SectionName}:MaxReportBytes must be within 256–1048576.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
