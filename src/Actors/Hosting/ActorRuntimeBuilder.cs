using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using GridGov.Realtime.Actors.Runtime;
using GridGov.Realtime.Actors.Storage;
using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Actors.Hosting;

/// <summary>Configures the runtime: which grains exist, how their messages serialise, and where state lives.</summary>
public sealed class ActorRuntimeBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    public ActorRuntimeBuilder AddGrain<TGrain>() where TGrain : Grain
    {
        Services.AddSingleton(new GrainRegistration(typeof(TGrain)));
        return this;
    }

    /// <summary>Registers every concrete <see cref="Grain"/> class in the assembly.</summary>
    public ActorRuntimeBuilder AddGrainsFromAssembly(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(t)))
        {
            Services.AddSingleton(new GrainRegistration(type));
        }
        return this;
    }

    /// <summary>Adds a source-generated JSON context for grain state and message types.</summary>
    public ActorRuntimeBuilder AddJsonContext(IJsonTypeInfoResolver resolver)
    {
        Services.AddSingleton(resolver);
        return this;
    }

    /// <summary>The embedded default: one SQLite file (WAL) for state and reminders.</summary>
    public ActorRuntimeBuilder UseSqliteStorage(IConfiguration? section = null, Action<SqliteStorageOptions>? configure = null)
    {
        var options = Services.AddOptions<SqliteStorageOptions>();
        if (section is not null) options.Bind(section);
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStorageOptions>, SqliteStorageOptionsValidator>());
        Services.TryAddSingleton<SqliteDatabase>();
        Services.Replace(ServiceDescriptor.Singleton<IGrainStorage, SqliteGrainStorage>());
        Services.Replace(ServiceDescriptor.Singleton<IReminderTable, SqliteReminderTable>());
        return this;
    }

    /// <summary>In-memory state and reminders (tests, benchmarks): nothing survives the process.</summary>
    public ActorRuntimeBuilder UseInMemoryStorage()
    {
        Services.Replace(ServiceDescriptor.Singleton<IGrainStorage, MemoryGrainStorage>());
        Services.Replace(ServiceDescriptor.Singleton<IReminderTable, MemoryReminderTable>());
        return this;
    }
}
