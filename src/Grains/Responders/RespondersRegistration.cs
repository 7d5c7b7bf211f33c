using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Responders;

public static class RespondersRegistration
{
    /// <summary>
    /// Responder escalation with acknowledgement (idempotent): the roster, escalation and registry grains with their
    /// JSON context, options "Escalations" (validated at start), a logging <see cref="IResponderNotifier"/> unless the
    /// host registers one (the Silo publishes to MQTT), the SOS trigger (an <see cref="IAlertListener"/>) and the
    /// urgent-case trigger, one more <see cref="ICaseNotifier"/> beside the others. Needs an <c>IRegionDirectory</c> and an
    /// <c>ILiveFeed</c>.
    /// </summary>
    public static ActorRuntimeBuilder AddResponders(this ActorRuntimeBuilder runtime, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var services = runtime.Services;
        runtime.AddGrain<OnCallRosterGrain>().AddGrain<EscalationGrain>().AddGrain<EscalationRegistryGrain>();
        if (services.Any(d => d.ServiceType == typeof(AlertEscalationTrigger))) return runtime;
        runtime.AddJsonContext(RespondersJsonContext.Default);
        var options = services.AddOptions<EscalationOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(EscalationOptions.SectionName));
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EscalationOptions>, EscalationOptionsValidator>());
        services.TryAddSingleton<IResponderNotifier, LoggingResponderNotifier>();
        services.TryAddSingleton<ILiveFeed, LoggingLiveFeed>();
        services.AddSingleton<AlertEscalationTrigger>();
        services.AddSingleton<IAlertListener>(sp => sp.GetRequiredService<AlertEscalationTrigger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICaseNotifier, EscalatingCaseNotifier>());
        return runtime;
    }
}
