using GridGov.Realtime.Edge.Broker;
using Microsoft.Extensions.Hosting;

namespace GridGov.Realtime.Edge.Persistence;

/// <summary>
/// Restores the broker's stored state at start-up. Hosted services start before Kestrel accepts connections, and this
/// one is registered after the host's storage (the Silo adds the actor runtime, which opens the database, first).
/// </summary>
internal sealed class MqttStateRestorer(MqttBroker broker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => broker.RestoreAsync(cancellationToken);

    /// <summary>Stops after Kestrel (reverse order), so the connections it closed have scheduled their wills already.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        broker.StopTimers();
        return Task.CompletedTask;
    }
}
