using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Geo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace GridGov.Realtime.Grains.Directory;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the region, worker and sensor directories (idempotent), the import service and a hosted
    /// service that loads the saved directories at start-up. Storage is the embedded SQLite database
    /// when <paramref name="useSqlite"/> (its migrations "regions" and "directory" are registered),
    /// otherwise in memory.
    /// </summary>
    public static IServiceCollection AddGridDirectories(this IServiceCollection services, bool useSqlite, GridCodeScheme? scheme = null)
    {
        if (services.Any(static d => d.ServiceType == typeof(RegionDirectory))) return services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new RegionDirectory(scheme));
        services.AddSingleton<IRegionDirectory>(static sp => sp.GetRequiredService<RegionDirectory>());
        services.AddSingleton<WorkerDirectory>();
        services.AddSingleton<IWorkerDirectory>(static sp => sp.GetRequiredService<WorkerDirectory>());
        if (useSqlite)
        {
            services.AddSingleton(SqliteRegionStore.Migration);
            services.AddSingleton(SqliteDirectoryStore.Migration);
            services.AddSingleton<IRegionStore, SqliteRegionStore>();
            services.AddSingleton<IDirectoryStore, SqliteDirectoryStore>();
        }
        else
        {
            services.AddSingleton<IRegionStore, InMemoryRegionStore>();
            services.AddSingleton<IDirectoryStore, InMemoryDirectoryStore>();
        }
        services.AddSingleton<DirectoryImportService>();
        services.AddHostedService<DirectoryLoader>();
        return services;
    }
}

/// <summary>
/// Loads the saved region tree, workers and sensors at start-up, so a restart keeps the city. Register
/// it after the actor runtime: hosted services start in order, and the runtime initialises the
/// database (the SQLite stores also initialise it themselves, which is idempotent).
/// </summary>
internal sealed class DirectoryLoader(DirectoryImportService imports) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => imports.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
