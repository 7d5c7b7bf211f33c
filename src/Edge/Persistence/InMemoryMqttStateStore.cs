using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Persistence;

/// <summary>
/// The default store when the host registers none: state outlives a broker instance but not the process. Tests restart
/// a broker on the same instance; the Silo registers the SQLite store instead.
/// </summary>
public sealed class InMemoryMqttStateStore : IMqttStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MqttStoredMessage> _retained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionRow> _sessions = new(StringComparer.Ordinal);

    /// <summary>Sessions stored now (for tests).</summary>
    public int SessionCount
    {
        get { lock (_gate) return _sessions.Count; }
    }

    public Task<MqttStoredState> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var retained = _retained.Select(r => new MqttStoredRetained(r.Key, r.Value)).ToList();
            var sessions = _sessions.Select(s => new MqttStoredSession(
                s.Key,
                s.Value.ExpirySeconds,
                s.Value.ExpiresAt,
                [.. s.Value.Subscriptions.Select(x => new MqttStoredSubscription(x.Key, x.Value))],
                [.. s.Value.Messages.Values],
                [.. s.Value.InboundQos2],
                s.Value.Will)).ToList();
            return Task.FromResult(new MqttStoredState(retained, sessions));
        }
    }

    public Task SetRetainedAsync(string topic, MqttStoredMessage message) => Do(() => _retained[topic] = message);

    public Task ClearRetainedAsync(string topic) => Do(() => _retained.Remove(topic));

    public Task SaveSessionAsync(string clientId, uint expirySeconds, DateTimeOffset? expiresAt) => Do(() =>
    {
        var row = Row(clientId);
        row.ExpirySeconds = expirySeconds;
        row.ExpiresAt = expiresAt;
    });

    public Task DeleteSessionAsync(string clientId) => Do(() => _sessions.Remove(clientId));

    public Task SaveSubscriptionAsync(string clientId, string filter, SubscriptionOptions options) => Do(() => Row(clientId).Subscriptions[filter] = options);

    public Task DeleteSubscriptionAsync(string clientId, string filter) => Do(() => _sessions.GetValueOrDefault(clientId)?.Subscriptions.Remove(filter));

    public Task AddMessageAsync(string clientId, long sequence, ushort packetId, MqttStoredMessage message) =>
        Do(() => Row(clientId).Messages[sequence] = new MqttStoredQueueEntry(sequence, packetId, false, message));

    public Task UpdateMessageAsync(string clientId, long sequence, ushort packetId, bool released) => Do(() =>
    {
        var messages = _sessions.GetValueOrDefault(clientId)?.Messages;
        if (messages is not null && messages.TryGetValue(sequence, out var entry)) messages[sequence] = entry with { PacketId = packetId, Released = released };
    });

    public Task RemoveMessageAsync(string clientId, long sequence) => Do(() => _sessions.GetValueOrDefault(clientId)?.Messages.Remove(sequence));

    public Task AddInboundQos2Async(string clientId, ushort packetId) => Do(() => Row(clientId).InboundQos2.Add(packetId));

    public Task RemoveInboundQos2Async(string clientId, ushort packetId) => Do(() => _sessions.GetValueOrDefault(clientId)?.InboundQos2.Remove(packetId));

    public Task SaveWillAsync(string clientId, MqttStoredMessage will, DateTimeOffset dueAt) => Do(() => Row(clientId).Will = new MqttStoredWill(will, dueAt));

    public Task DeleteWillAsync(string clientId) => Do(() =>
    {
        if (_sessions.GetValueOrDefault(clientId) is { } row) row.Will = null;
    });

    private SessionRow Row(string clientId)
    {
        if (!_sessions.TryGetValue(clientId, out var row)) _sessions[clientId] = row = new SessionRow();
        return row;
    }

    private Task Do(Action change)
    {
        lock (_gate) change();
        return Task.CompletedTask;
    }

    private sealed class SessionRow
    {
        public uint ExpirySeconds { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
        public Dictionary<string, SubscriptionOptions> Subscriptions { get; } = new(StringComparer.Ordinal);
        public SortedDictionary<long, MqttStoredQueueEntry> Messages { get; } = [];
        public SortedSet<ushort> InboundQos2 { get; } = [];
        public MqttStoredWill? Will { get; set; }
    }
}
