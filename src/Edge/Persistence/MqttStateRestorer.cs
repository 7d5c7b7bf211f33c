using GridGov.Realtime.Edge.Broker;
using Microsoft.Extensions.Hosting;

namespace GridGov.Realtime.Edge.Persistence;

/// <summary>
/// Restores the broker's stored state at start-up, and closes its connections first thing at host stop. Hosted services
/// start before Kestrel accepts connections, and this one is registered after the host's storage (the Silo adds the
/// actor runtime, which opens the database, first).
/// </summary>
internal sealed class MqttStateRestorer(MqttBroker broker) : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken) => broker.RestoreAsync(cancellationToken);

    /// <summary>
    /// Runs before any hosted service stops, so the connections' close paths (uplink handlers calling grains, sessions
    /// and their queues written to the store) find the actor runtime and the store still running.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => broker.ShutdownAsync(cancellationToken);

    /// <summary>Stops after Kestrel (reverse order), so the connections it closed have scheduled their wills already.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        broker.StopTimers();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
