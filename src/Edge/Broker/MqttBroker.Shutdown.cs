using System.Collections.Concurrent;
using GridGov.Realtime.Edge.Transport;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Edge.Broker;

internal sealed partial class MqttBroker
{
    // Every running connection, CONNECTed or not, so a host stop can close them all and wait for their close paths.
    private readonly ConcurrentDictionary<MqttConnection, byte> _running = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _shuttingDown;

    /// <summary>True once the host began stopping: every connection, and any that starts from now on, is being closed.</summary>
    public bool ShuttingDown => _shuttingDown;

    /// <summary>Called by a connection when its loop starts; one that starts after shutdown began closes at once.</summary>
    public void Started(MqttConnection connection)
    {
        _running[connection] = 0;
        if (_shuttingDown) connection.Shutdown();
    }

    /// <summary>Called by a connection when its close path has finished (session saved, acks and DISCONNECT written).</summary>
    public void Finished(MqttConnection connection)
    {
        _running.TryRemove(connection, out _);
        if (_shuttingDown && _running.IsEmpty) _drained.TrySetResult();
    }

    /// <summary>
    /// At host stop, before the server and the actor runtime stop: every connection stops reading, lets the uplink
    /// handlers of what it already read finish (they call grains, which are still running) and their acks go out, then
    /// sends 5.0 clients DISCONNECT 0x8B Server shutting down (5.0 §3.14.2.1) and closes. Completes when every close path
    /// has run, or when <paramref name="cancellationToken"/> (the host's shutdown timeout) says to stop waiting; the
    /// server then aborts what is left. Kestrel would otherwise wait the whole timeout for MQTT connections, which never
    /// close on its request, and leave the services after it an expired token.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _shuttingDown = true;
        var closing = _running.Count;
        foreach (var connection in _running.Keys) connection.Shutdown();
        if (_running.IsEmpty) _drained.TrySetResult();
        try
        {
            try
            {
                await _drained.Task.WaitAsync(Options.ShutdownGracePeriod, Time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Handlers that did not finish in time (a stuck grain call) must not hold the rest of the server's stop.
                LogGraceOver(Logger, _running.Count, Options.ShutdownGracePeriod);
                foreach (var connection in _running.Keys) connection.AbandonPendingWork();
                await _drained.Task.WaitAsync(cancellationToken);
            }

            LogShutDown(Logger, closing);
        }
        catch (OperationCanceledException)
        {
            LogShutdownTimedOut(Logger, _running.Count);
        }
    }

    [LoggerMessage(30, LogLevel.Information, "MQTT edge shut down: {Connections} connections closed")]
    private static partial void LogShutDown(ILogger logger, int connections);

    [LoggerMessage(32, LogLevel.Warning, "MQTT edge shutdown: {Connections} connections still finishing after {Grace}; their pending publishes are cancelled and not acknowledged")]
    private static partial void LogGraceOver(ILogger logger, int connections, TimeSpan grace);

    [LoggerMessage(31, LogLevel.Warning, "MQTT edge shutdown timed out with {Connections} connections still closing; the server aborts them")]
    private static partial void LogShutdownTimedOut(ILogger logger, int connections);
}
