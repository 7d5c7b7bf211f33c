using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Persistence;

/// <summary>
/// Where the broker keeps what must outlive the process (DESIGN.md "Edge": persistent sessions, retained messages):
/// retained messages, and of each persistent session (5.0 §4.1: Session Expiry &gt; 0, or 3.1.1 Clean Session 0) its
/// subscriptions, its queued and in-flight QoS 1/2 messages, the inbound QoS 2 packet ids awaiting PUBREL, the will
/// waiting on its will delay and its expiry deadline.
/// </summary>
/// <remarks>
/// The broker calls these from inside its locks, in the order the changes happen, so an implementation must apply
/// writes in call order (one FIFO writer) and must not block: a returned task completes once the write is durable, and
/// the broker awaits it only where an acknowledgement depends on it (PUBACK, PUBREC, SUBACK). Writes that fail must
/// fault their task rather than throw. Nothing here is called for clean sessions or QoS 0.
/// </remarks>
public interface IMqttStateStore
{
    /// <summary>Everything stored, read once at start-up before the first connection.</summary>
    Task<MqttStoredState> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores or replaces the topic's retained message.</summary>
    Task SetRetainedAsync(string topic, MqttStoredMessage message);

    Task ClearRetainedAsync(string topic);

    /// <summary>Creates or updates a session; <paramref name="expiresAt"/> is null while a connection is attached.</summary>
    Task SaveSessionAsync(string clientId, uint expirySeconds, DateTimeOffset? expiresAt);

    /// <summary>Removes the session with its subscriptions, messages, inbound QoS 2 packet ids and pending will.</summary>
    Task DeleteSessionAsync(string clientId);

    Task SaveSubscriptionAsync(string clientId, string filter, SubscriptionOptions options);

    Task DeleteSubscriptionAsync(string clientId, string filter);

    /// <summary>Adds one outbound message to the session: queued (<paramref name="packetId"/> 0) or already sent.</summary>
    Task AddMessageAsync(string clientId, long sequence, ushort packetId, MqttStoredMessage message);

    /// <summary>Marks a message sent under <paramref name="packetId"/>, and <paramref name="released"/> once PUBREC came (QoS 2).</summary>
    Task UpdateMessageAsync(string clientId, long sequence, ushort packetId, bool released);

    /// <summary>The flow ended (PUBACK, PUBCOMP) or the message was dropped (queue full, expired).</summary>
    Task RemoveMessageAsync(string clientId, long sequence);

    /// <summary>
    /// An inbound QoS 2 PUBLISH was delivered and its packet id now awaits PUBREL (5.0 §4.3.3 method A); the PUBREC waits
    /// for this write, so a DUP resend after a restart is recognised and not delivered twice.
    /// </summary>
    Task AddInboundQos2Async(string clientId, ushort packetId);

    /// <summary>PUBREL came for the packet id (or a failure PUBREC ended its flow): the id is free again.</summary>
    Task RemoveInboundQos2Async(string clientId, ushort packetId);

    /// <summary>
    /// Stores (or replaces) the session's will, published at <paramref name="dueAt"/> unless a new connection resumes the
    /// session first (5.0 §3.1.3.2.2). <paramref name="will"/> is encoded like any stored message; its expiry counts from
    /// <paramref name="dueAt"/>.
    /// </summary>
    Task SaveWillAsync(string clientId, MqttStoredMessage will, DateTimeOffset dueAt);

    /// <summary>The will was published or cancelled by a new connection.</summary>
    Task DeleteWillAsync(string clientId);
}

/// <summary>
/// One stored message: <see cref="Packet"/> is the message encoded as a 5.0 PUBLISH (topic, payload, QoS, RETAIN,
/// properties, subscription identifiers), opaque to stores; the expiry is absolute so it keeps counting while stored.
/// </summary>
public sealed record MqttStoredMessage(byte[] Packet, DateTimeOffset? ExpiresAt);

public sealed record MqttStoredRetained(string Topic, MqttStoredMessage Message);

public sealed record MqttStoredSubscription(string Filter, SubscriptionOptions Options);

/// <summary>A session's outbound message; <see cref="PacketId"/> 0 = still queued, otherwise in flight.</summary>
public sealed record MqttStoredQueueEntry(long Sequence, ushort PacketId, bool Released, MqttStoredMessage Message);

/// <summary>A will waiting on its will delay, due at the absolute <see cref="DueAt"/>.</summary>
public sealed record MqttStoredWill(MqttStoredMessage Message, DateTimeOffset DueAt);

/// <summary>
/// A persistent session; <see cref="ExpiresAt"/> null = it was connected when the process stopped.
/// <see cref="InboundQos2"/>: packet ids awaiting PUBREL; <see cref="Will"/>: the will still waiting on its delay.
/// </summary>
public sealed record MqttStoredSession(
    string ClientId,
    uint ExpirySeconds,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<MqttStoredSubscription> Subscriptions,
    IReadOnlyList<MqttStoredQueueEntry> Messages,
    IReadOnlyList<ushort> InboundQos2,
    MqttStoredWill? Will);

public sealed record MqttStoredState(IReadOnlyList<MqttStoredRetained> Retained, IReadOnlyList<MqttStoredSession> Sessions);
