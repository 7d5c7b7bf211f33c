using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Runtime;
using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Actors.Tests;

internal static class TestHosts
{
    public static Task<ActorTestHost> InMemory(FakeTimeProvider? time = null, Action<ActorRuntimeOptions>? options = null, Action<IServiceCollection>? services = null) =>
        ActorTestHost.StartAsync(r => Register(r).UseInMemoryStorage(), time, s =>
        {
            s.AddSingleton<ActivationProbe>();
            services?.Invoke(s);
        }, options);

    public static Task<ActorTestHost> Sqlite(string dataDirectory, FakeTimeProvider? time = null) =>
        ActorTestHost.StartAsync(r => Register(r).UseSqliteStorage(configure: o => o.DataDirectory = dataDirectory), time, s => s.AddSingleton<ActivationProbe>());

    private static ActorRuntimeBuilder Register(ActorRuntimeBuilder r) =>
        r.AddGrainsFromAssembly(typeof(TestHosts).Assembly).AddJsonContext(TestJsonContext.Default);

    public static ActorRuntime Runtime(this ActorTestHost host) => host.Services.GetRequiredService<ActorRuntime>();

    public static ActivationProbe Probe(this ActorTestHost host) => host.Services.GetRequiredService<ActivationProbe>();
}
