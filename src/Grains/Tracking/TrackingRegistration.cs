using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tracking;

public static class TrackingRegistration
{
    /// <summary>
    /// The tracking pipeline (idempotent): worker, grid and region grains with their JSON context,
    /// options ("Tracking", "Tracking:History") with validators, metrics, the payload parser and
    /// <see cref="TerminalIntake"/>. History is in memory unless <see cref="UseSqlitePositionHistory"/>
    /// is called. A logging <see cref="ILiveFeed"/> is added only if none is registered.
    /// Needs an <c>IRegionDirectory</c> and an <c>IWorkerDirectory</c> from the composition.
    /// </summary>
    public static ActorRuntimeBuilder AddTracking(this ActorRuntimeBuilder runtime, IConfiguration? configuration = null)
    {
        var services = runtime.Services;
        runtime.AddGrain<WorkerGrain>().AddGrain<GridGrain>().AddGrain<RegionGrain>();
        if (services.Any(d => d.ServiceType == typeof(TerminalIntake))) return runtime;

        runtime.AddJsonContext(TrackingJsonContext.Default);
        var tracking = services.AddOptions<TrackingOptions>();
        var history = services.AddOptions<PositionHistoryOptions>();
        if (configuration is not null)
        {
            tracking.Bind(configuration.GetSection(TrackingOptions.SectionName));
            history.Bind(configuration.GetSection(PositionHistoryOptions.SectionName));
        }
        tracking.ValidateOnStart();
        history.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrackingOptions>, TrackingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PositionHistoryOptions>, PositionHistoryOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TrackingMetrics>();
        services.TryAddSingleton(sp => new TerminalPayloadParser(sp.GetRequiredService<IOptions<TrackingOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<TerminalIntake>();
        services.TryAddSingleton<IPositionHistory, InMemoryPositionHistory>();
        services.TryAddSingleton<ILiveFeed, LoggingLiveFeed>();
        services.TryAddSingleton<GridGov.Realtime.Grains.Live.ICaseCountsListener, CaseCountsRelay>();
        return runtime;
    }

    /// <summary>Position history in the runtime's SQLite file (table <c>positions</c>, migration module "tracking").</summary>
    public static ActorRuntimeBuilder UseSqlitePositionHistory(this ActorRuntimeBuilder runtime)
    {
        var services = runtime.Services;
        if (services.Any(d => d.ServiceType == typeof(PositionHistoryWriter))) return runtime;
        services.AddSingleton(PositionHistoryWriter.Migration);
        services.AddSingleton<PositionHistoryWriter>();
        services.Replace(ServiceDescriptor.Singleton<IPositionHistory>(sp => sp.GetRequiredService<PositionHistoryWriter>()));
        services.AddHostedService(sp => sp.GetRequiredService<PositionHistoryWriter>());
        return runtime;
    }
}
