using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// The in-memory store, counting message writes and optionally holding them until <see cref="Release"/>: a store
/// whose disk is slow, to see what the broker acknowledges before its writes are durable.
/// </summary>
internal sealed class RecordingStateStore(bool hold = false) : IMqttStateStore
{
    private readonly InMemoryMqttStateStore _inner = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _messageWrites;

    public int MessageWrites => Volatile.Read(ref _messageWrites);

    /// <summary>Completes when the broker has handed the store its first message.</summary>
    public Task FirstMessage => _firstMessage.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Held writes fail, as on a full disk.</summary>
    public void Fail() => _released.TrySetException(new IOException("disk full"));

    public Task<MqttStoredState> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);
    public Task SetRetainedAsync(string topic, MqttStoredMessage message) => _inner.SetRetainedAsync(topic, message);
    public Task ClearRetainedAsync(string topic) => _inner.ClearRetainedAsync(topic);
    public Task SaveSessionAsync(string clientId, uint expirySeconds, DateTimeOffset? expiresAt) => _inner.SaveSessionAsync(clientId, expirySeconds, expiresAt);
    public Task DeleteSessionAsync(string clientId) => _inner.DeleteSessionAsync(clientId);
    public Task SaveSubscriptionAsync(string clientId, string filter, SubscriptionOptions options) => _inner.SaveSubscriptionAsync(clientId, filter, options);
    public Task DeleteSubscriptionAsync(string clientId, string filter) => _inner.DeleteSubscriptionAsync(clientId, filter);
    public Task UpdateMessageAsync(string clientId, long sequence, ushort packetId, bool released) => Counted(_inner.UpdateMessageAsync(clientId, sequence, packetId, released));
    public Task RemoveMessageAsync(string clientId, long sequence) => Counted(_inner.RemoveMessageAsync(clientId, sequence));

    public Task AddMessageAsync(string clientId, long sequence, ushort packetId, MqttStoredMessage message)
    {
        var write = Counted(_inner.AddMessageAsync(clientId, sequence, packetId, message));
        _firstMessage.TrySetResult();
        return hold ? HeldAsync(write) : write;
    }

    private async Task HeldAsync(Task write)
    {
        await _released.Task;
        await write;
    }

    private Task Counted(Task write)
    {
        Interlocked.Increment(ref _messageWrites);
        return write;
    }
}
