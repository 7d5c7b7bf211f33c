using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridGov.Realtime.Silo.Devices;

public static class DeviceServiceCollectionExtensions
{
    /// <summary>Device credentials: the SQLite table (migration "devices" v1) or memory, the verification cache and provisioning.</summary>
    public static IServiceCollection AddDeviceCredentials(this IServiceCollection services, bool useSqlite = true)
    {
        if (services.Any(static d => d.ServiceType == typeof(IDeviceCredentialStore))) return services; // idempotent
        services.TryAddSingleton(TimeProvider.System);
        if (useSqlite)
        {
            services.AddSingleton(SqliteDeviceCredentialStore.Migration);
            services.AddSingleton<IDeviceCredentialStore, SqliteDeviceCredentialStore>();
        }
        else
        {
            services.AddSingleton<IDeviceCredentialStore, InMemoryDeviceCredentialStore>();
        }
        services.TryAddSingleton<DeviceCredentialCache>();
        services.TryAddSingleton<DeviceProvisioning>();
        return services;
    }
}
