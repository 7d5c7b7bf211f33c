using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.TestSupport;

/// <summary>
/// A started generic host with the actor runtime on a fake clock. Dispose stops it the way a real
/// host stops (every activation deactivated, writes flushed), so a second host on the same data
/// directory is a real restart.
/// </summary>
public sealed class ActorTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ActorTestHost(IHost host, FakeTimeProvider time)
    {
        _host = host;
        Time = time;
    }

    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _host.Services;
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<ActorTestHost> StartAsync(
        Action<ActorRuntimeBuilder> configureRuntime,
        FakeTimeProvider? time = null,
        Action<IServiceCollection>? configureServices = null,
        Action<ActorRuntimeOptions>? configureOptions = null)
    {
        time ??= new FakeTimeProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(time);
        var runtime = builder.Services.AddActorRuntime(o =>
        {
            o.SerializeMessages = true;
            configureOptions?.Invoke(o);
        });
        configureRuntime(runtime);
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new ActorTestHost(host, time);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>A temporary data directory, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gridgov-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

public static class TaskTestExtensions
{
    /// <summary>Waits for a signal with a generous safety limit, so a broken test fails instead of hanging CI.</summary>
    public static Task<T> Within<T>(this Task<T> task, int seconds = 30) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public static Task Within(this Task task, int seconds = 30) => task.WaitAsync(TimeSpan.FromSeconds(seconds));
}
