using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Intake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Sensors;

public static class SensorsRegistration
{
    /// <summary>
    /// The sensor pipeline (idempotent): <see cref="SensorGrain"/> with its JSON context, options (section
    /// "Sensors", validated at start against the category catalogue), the payload parser and
    /// <see cref="SensorIntake"/>, and case intake (<see cref="IntakeRegistration.AddCaseIntake"/>) for verification dispatch. Needs the case workflow (<c>AddCases</c>), an <c>IWorkerDirectory</c>, an
    /// <c>IRegionDirectory</c> and an <c>ILiveFeed</c> from the composition.
    /// </summary>
    public static ActorRuntimeBuilder AddSensors(this ActorRuntimeBuilder runtime, IConfiguration? configuration = null)
    {
        var services = runtime.Services;
        runtime.AddGrain<SensorGrain>().AddCaseIntake();
        if (services.Any(d => d.ServiceType == typeof(SensorIntake))) return runtime;

        runtime.AddJsonContext(SensorsJsonContext.Default);
        var options = services.AddOptions<SensorEventRulesOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(SensorEventRulesOptions.SectionName));
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SensorEventRulesOptions>, SensorEventRulesOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SensorMetrics>();
        services.TryAddSingleton(sp => new SensorPayloadParser(sp.GetRequiredService<IOptions<SensorEventRulesOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SensorIntake>();
        return runtime;
    }
}
