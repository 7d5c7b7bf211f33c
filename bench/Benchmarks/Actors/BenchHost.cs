using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Benchmarks.Actors;

internal static class BenchHost
{
    public static async Task<IHost> StartAsync(Action<ActorRuntimeBuilder>? storage = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Countdown>();
        builder.Services.AddSingleton<FireRecorder>();
        var runtime = builder.Services.AddActorRuntime(o => o.IdleTimeout = TimeSpan.FromHours(1))
            .AddGrain<BenchGrain>()
            .AddGrain<DeadlineGrain>()
            .AddJsonContext(BenchJsonContext.Default);
        (storage ?? (r => r.UseInMemoryStorage()))(runtime);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();
}
