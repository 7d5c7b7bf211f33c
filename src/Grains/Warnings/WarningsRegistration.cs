using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Warnings;

public static class WarningsRegistration
{
    /// <summary>
    /// Four-level early warnings (idempotent): the warning grain and its JSON context, options
    /// "Warnings" (validated at start), <see cref="WarningAuthority"/>, <see cref="WarningLevels"/> and a
    /// logging <see cref="IWarningPublisher"/> unless the host registers one (the Silo publishes to MQTT), and
    /// <see cref="WarningRepublisher"/>, which publishes the retained warnings again at start-up (register
    /// after the runtime and the directory loader so it starts after them).
    /// Needs an <c>IRegionDirectory</c> and an <c>ILiveFeed</c> from the composition.
    /// </summary>
    public static ActorRuntimeBuilder AddWarnings(this ActorRuntimeBuilder runtime, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var services = runtime.Services;
        runtime.AddGrain<WarningGrain>().AddGrain<WarningRegistryGrain>();
        if (services.Any(d => d.ServiceType == typeof(WarningAuthority))) return runtime;
        runtime.AddJsonContext(WarningsJsonContext.Default);
        var options = services.AddOptions<WarningOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(WarningOptions.SectionName));
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WarningOptions>, WarningOptionsValidator>());
        services.TryAddSingleton(sp => new WarningAuthority(sp.GetRequiredService<IOptions<WarningOptions>>().Value));
        services.TryAddSingleton<WarningLevels>();
        services.TryAddSingleton<IWarningPublisher, LoggingWarningPublisher>();
        services.TryAddSingleton<ILiveFeed, LoggingLiveFeed>();
        services.AddSingleton<WarningRepublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<WarningRepublisher>());
        return runtime;
    }
}
