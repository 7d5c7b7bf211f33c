using GridGov.Realtime.Actors.Diagnostics;
using GridGov.Realtime.Actors.Reminders;
using GridGov.Realtime.Actors.Runtime;
using GridGov.Realtime.Actors.Serialization;
using GridGov.Realtime.Actors.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Actors.Hosting;

public static class ActorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the virtual-actor runtime (idempotent): grain factory, activation directory, timers,
    /// reminders, idle collection, metrics, and a hosted service that starts and stops it with the host.
    /// In-memory storage unless the builder picks another.
    /// </summary>
    public static ActorRuntimeBuilder AddActorRuntime(this IServiceCollection services, Action<ActorRuntimeOptions>? configure = null)
    {
        var builder = new ActorRuntimeBuilder(services);
        if (configure is not null) services.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(ActorRuntime))) return builder;

        services.AddOptions<ActorRuntimeOptions>().BindConfiguration(ActorRuntimeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActorRuntimeOptions>, ActorRuntimeOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrainStorage, MemoryGrainStorage>();
        services.TryAddSingleton<IReminderTable, MemoryReminderTable>();
        services.TryAddSingleton(sp => new ActorJsonOptions(sp.GetServices<System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver>()));
        services.TryAddSingleton<ActorMetrics>();
        services.TryAddSingleton(sp => new GrainTypeRegistry(sp.GetServices<GrainRegistration>()));
        services.TryAddSingleton<ActorRuntime>();
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<ActorRuntime>());
        services.TryAddSingleton(sp => new ReminderService(sp.GetRequiredService<ActorRuntime>(), sp.GetRequiredService<IReminderTable>()));
        services.TryAddSingleton(sp => new IdleCollector(sp.GetRequiredService<ActorRuntime>()));
        services.AddHostedService<ActorRuntimeHostedService>();
        return builder;
    }
}
