using GridGov.Realtime.Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Intake;

public static class IntakeRegistration
{
    /// <summary>
    /// Case intake (idempotent): the intake grain with its JSON context, options "Intake" (validated at start), the field
    /// report parser and intake (the broker hook's back end), the verification dispatcher and a logging
    /// <see cref="ICaseTaskPublisher"/> unless one is registered. Needs the case workflow (<c>AddCases</c>), an
    /// <c>IWorkerDirectory</c> and an <c>IRegionDirectory</c> from the composition, and the tracking grains.
    /// </summary>
    public static ActorRuntimeBuilder AddCaseIntake(this ActorRuntimeBuilder runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var services = runtime.Services;
        runtime.AddGrain<CaseIntakeGrain>();
        if (services.Any(d => d.ServiceType == typeof(VerificationDispatcher))) return runtime;

        runtime.AddJsonContext(IntakeJsonContext.Default);
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IntakeMetrics>();
        services.TryAddSingleton<FieldReportParser>();
        services.TryAddSingleton<FieldReportIntake>();
        services.TryAddSingleton<VerificationDispatcher>();
        services.TryAddSingleton<ICaseTaskPublisher, LoggingCaseTaskPublisher>();
        return runtime;
    }
}
