using GridGov.Realtime.Actors.Reminders;
using GridGov.Realtime.Actors.Runtime;
using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GridGov.Realtime.Actors.Hosting;

/// <summary>
/// Brings the runtime up before the host serves anything (storage migrated, reminders loaded, idle
/// collection running) and down after it stops serving (every activation deactivated, writes flushed).
/// </summary>
internal sealed class ActorRuntimeHostedService(IServiceProvider services, ActorRuntime runtime, ReminderService reminders, IdleCollector collector) : IHostedService
{
    // Resolved once at start: StopAsync may run while the container is already being disposed.
    private SqliteDatabase? _database;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _database = services.GetService<SqliteDatabase>();
        if (_database is not null) await _database.InitializeAsync(cancellationToken);
        runtime.Reminders = reminders;
        await reminders.StartAsync(cancellationToken);
        collector.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        collector.Dispose();
        try
        {
            await reminders.StopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout passed: ticks still in flight end with their grains, which are deactivated next.
        }
        await runtime.StopAsync(cancellationToken);
        if (_database is not null) await _database.DisposeAsync();
    }
}
