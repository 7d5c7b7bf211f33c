using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Calendar;

/// <summary>Start-up validation of <see cref="WorkingCalendarOptions"/>, reporting every error at once.</summary>
public sealed class WorkingCalendarOptionsValidator : IValidateOptions<WorkingCalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkingCalendarOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Errors(WorkingCalendarOptions options)
    {
        var errors = new List<string>();
        WorkingSchedule.TryBuild(options, errors);
        return errors;
    }
}
