using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases.ReadModel;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.Grains.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Cases;

public static class CasesServiceCollectionExtensions
{
    /// <summary>
    /// The case workflow: JSON context, the "cases" migration, the event store (SQLite when the runtime
    /// uses SQLite storage, else in memory), the working calendar (section <c>WorkingCalendar</c>, validated
    /// at start), the catalogue (<see cref="DefaultCategoryCatalog.Instance"/> unless a
    /// <see cref="CategoryCatalog"/> is registered first), the responsibility table (section <c>Responsibility</c>,
    /// validated at start against the catalogue), 督办 escalation up the region chain (section
    /// <c>CaseEscalation</c>, validated at start; the region tree comes from an <see cref="IRegionDirectory"/> when one
    /// is registered, else from the code scheme), and the notifiers: the log and the live feed (a logging
    /// <see cref="ILiveFeed"/> unless the host registers one) plus any <see cref="ICaseNotifier"/> registered besides.
    /// With SQLite storage (registered before this call) also the case read model: migration "cases_read",
    /// the projection kept in every append's transaction, its start-up catch-up, the queries
    /// (<see cref="CaseReadModel"/>) and the live case counts the region roll-ups read.
    /// </summary>
    public static ActorRuntimeBuilder AddCases(this ActorRuntimeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddJsonContext(CasesJsonContext.Default);
        services.AddSingleton(SqliteCaseEventStore.Migration);
        services.AddOptions<WorkingCalendarOptions>().BindConfiguration(WorkingCalendarOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkingCalendarOptions>, WorkingCalendarOptionsValidator>());
        services.TryAddSingleton(sp => WorkingCalendar.Create(sp.GetRequiredService<IOptions<WorkingCalendarOptions>>().Value));
        services.TryAddSingleton(DefaultCategoryCatalog.Instance);
        services.AddOptions<ResponsibilityOptions>().BindConfiguration(ResponsibilityOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResponsibilityOptions>, ResponsibilityOptionsValidator>());
        services.TryAddSingleton(sp => new ResponsibilityTable(sp.GetRequiredService<IOptions<ResponsibilityOptions>>().Value));
        services.TryAddSingleton(sp => new CaseWorkflow(sp.GetRequiredService<CategoryCatalog>(), sp.GetRequiredService<WorkingCalendar>(), sp.GetRequiredService<ResponsibilityTable>()));
        services.AddOptions<CaseEscalationOptions>().BindConfiguration(CaseEscalationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CaseEscalationOptions>, CaseEscalationOptionsValidator>());
        services.TryAddSingleton(sp => new CaseRegionChain(sp.GetService<IRegionDirectory>()));
        services.TryAddSingleton<CaseEscalationPolicy>();
        services.TryAddSingleton<ILiveFeed, LoggingLiveFeed>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICaseNotifier, LoggingCaseNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICaseNotifier, LiveCaseNotifier>());
        services.TryAddSingleton<CaseNotifiers>();
        services.TryAddSingleton<ICaseEventStore>(sp => sp.GetService<SqliteDatabase>() is { } db
            ? new SqliteCaseEventStore(db, sp.GetService<CaseSummaryProjection>())
            : new InMemoryCaseEventStore());
        if (services.Any(d => d.ServiceType == typeof(SqliteDatabase))) AddReadModel(services);
        return builder;
    }

    // The read model lives in the SQLite file (its statistics are SQL aggregates); in-memory hosts have none.
    private static void AddReadModel(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CaseSummaryProjection))) return;
        services.AddSingleton(CaseSummaryTable.Migration);
        services.AddSingleton(sp => new CaseSummaryProjection(
            sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<WorkingCalendar>(),
            sp.GetRequiredService<ILogger<CaseSummaryProjection>>(), sp.GetService<ICaseCountsListener>()));
        services.TryAddSingleton<CaseReadModel>();
        services.TryAddSingleton<ILiveCaseCounts>(sp => sp.GetRequiredService<CaseReadModel>());
        services.AddHostedService<CaseReadModelCatchUp>();
    }
}
