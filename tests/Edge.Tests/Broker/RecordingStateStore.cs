using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// The in-memory store, counting message, inbound QoS 2 and will writes and optionally holding message and QoS 2 id
/// writes until <see cref="Release"/>: a store whose disk is slow, to see what the broker acknowledges before its
/// writes are durable. With <paramref name="crashBeforeQos2Removals"/> the removal of an inbound QoS 2 id never commits
/// (the process dies first): its task never completes and <see cref="Disk"/> keeps the row, for a second broker.
/// </summary>
internal sealed class RecordingStateStore(bool hold = false, bool crashBeforeQos2Removals = false) : IMqttStateStore
{
    private readonly InMemoryMqttStateStore _inner = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstInboundQos2 = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _messageWrites;
    private int _inboundQos2Writes;
    private int _willWrites;

    public int MessageWrites => Volatile.Read(ref _messageWrites);
    public int InboundQos2Writes => Volatile.Read(ref _inboundQos2Writes);
    public int WillWrites => Volatile.Read(ref _willWrites);

    /// <summary>Completes when the broker has handed the store its first inbound QoS 2 packet id.</summary>
    public Task FirstInboundQos2 => _firstInboundQos2.Task;

    /// <summary>Completes when the broker has handed the store its first message.</summary>
    public Task FirstMessage => _firstMessage.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>What was committed, to restart a broker on.</summary>
    public IMqttStateStore Disk => _inner;

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

    public Task AddInboundQos2Async(string clientId, ushort packetId)
    {
        var write = Counted(_inner.AddInboundQos2Async(clientId, packetId), ref _inboundQos2Writes);
        _firstInboundQos2.TrySetResult();
        return hold ? HeldAsync(write) : write;
    }

    public Task RemoveInboundQos2Async(string clientId, ushort packetId) => crashBeforeQos2Removals
        ? new TaskCompletionSource().Task
        : Counted(_inner.RemoveInboundQos2Async(clientId, packetId), ref _inboundQos2Writes);
    public Task SaveWillAsync(string clientId, MqttStoredMessage will, DateTimeOffset dueAt) => Counted(_inner.SaveWillAsync(clientId, will, dueAt), ref _willWrites);
    public Task DeleteWillAsync(string clientId) => Counted(_inner.DeleteWillAsync(clientId), ref _willWrites);

    private async Task HeldAsync(Task write)
    {
        await _released.Task;
        await write;
    }

    private Task Counted(Task write) => Counted(write, ref _messageWrites);

    private static Task Counted(Task write, ref int counter)
    {
        Interlocked.Increment(ref counter);
        return write;
    }
}
