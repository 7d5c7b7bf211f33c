using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Transport;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Edge.Sessions;

/// <summary>
/// Session state of one client id (5.0 §4.1): outbound QoS 1/2 messages in flight and queued, inbound QoS 2 packet ids
/// awaiting PUBREL, the will, expiry. Outlives connections for persistent sessions. Every member runs under
/// <see cref="Gate"/>; the broker's connect lock is always taken before it, never inside it. A persistent session
/// writes every change of its QoS 1/2 messages to the store under the gate, so the store sees them in order.
/// </summary>
internal sealed class MqttSession(string clientId, EdgeOptions options, EdgeMetrics metrics, TimeProvider time, IMqttStateStore? store = null, ILogger? logger = null)
{
    private readonly OrderedDictionary<ushort, Inflight> _inflight = new();
    private readonly Queue<Pending> _pending = new();
    // Inbound QoS 2 ids awaiting PUBREL, each with the store write that made it durable (null once done or not stored).
    private readonly Dictionary<ushort, Task?> _inboundQos2 = [];
    private ushort _lastPacketId;
    // Set once the session has ended (clean start, expiry): a connection still finishing a packet on it must neither
    // queue messages on it nor write to the store after the session's rows were deleted.
    private bool _ended;
    private long _lastSequence;

    public string ClientId { get; } = clientId;
    public Lock Gate { get; } = new();

    /// <summary>The live connection, null while offline.</summary>
    public MqttConnection? Connection { get; private set; }

    /// <summary>0 = ends with the connection.</summary>
    public uint ExpirySeconds { get; set; }
    public ITimer? ExpiryTimer { get; set; }
    public ITimer? WillTimer { get; set; }
    public MqttWill? PendingWill { get; set; }

    /// <summary>The store holds a row for this session (written at connect, removed when the session ends).</summary>
    public bool Stored { get; set; }

    /// <summary>Outlives the connection (5.0 §3.1.2.11.2), so its state goes to the store.</summary>
    public bool Persistent => store is not null && ExpirySeconds > 0 && !_ended;

    /// <summary>Queued plus in-flight outbound messages (for the queue-depth gauge).</summary>
    public int Depth
    {
        get { lock (Gate) return _pending.Count + _inflight.Count; }
    }

    public int QueuedCount
    {
        get { lock (Gate) return _pending.Count; }
    }

    /// <summary>Attaches a connection; with a resumed session, resends what was in flight with DUP (5.0 §4.4) first.</summary>
    public void Attach(MqttConnection connection, bool resumed)
    {
        lock (Gate)
        {
            Connection = connection;
            if (resumed)
            {
                foreach (var (id, m) in _inflight)
                {
                    if (m.Released) connection.Send(new AckPacket(MqttPacketType.PubRel, id));
                    else connection.SendPublish(m.Message, m.QoS, id, dup: true, m.Retain, m.SubscriptionIds);
                }
            }

            Pump();
        }
    }

    public void Detach(MqttConnection connection)
    {
        lock (Gate)
        {
            if (Connection == connection) Connection = null;
        }
    }

    /// <summary>Sends now or queues (bounded, by policy) one message for this client.</summary>
    public bool Deliver(MqttApplicationMessage message, MqttQualityOfService qos, bool retain, uint[]? subscriptionIds)
    {
        var ignored = default(DurableWrites);
        return Deliver(message, qos, retain, subscriptionIds, ref ignored);
    }

    /// <summary>As above; a persistent session's store write for a QoS 1/2 message is added to <paramref name="durable"/>.</summary>
    public bool Deliver(MqttApplicationMessage message, MqttQualityOfService qos, bool retain, uint[]? subscriptionIds, ref DurableWrites durable)
    {
        lock (Gate)
        {
            if (_ended) return false;
            var connection = Connection;
            if (qos == MqttQualityOfService.AtMostOnce)
            {
                // QoS 0 is not kept for offline clients (5.0 §3.1.2.4 leaves it optional).
                if (connection is null) { metrics.Dropped(DropReason.OfflineQoS0); return false; }
                return connection.SendPublish(message, qos, 0, dup: false, retain, subscriptionIds);
            }

            var sequence = Persistent ? ++_lastSequence : 0;
            if (connection is not null && _pending.Count == 0 && _inflight.Count < connection.OutboundReceiveMaximum)
            {
                return SendNew(connection, new Pending(message, qos, retain, subscriptionIds, sequence), ref durable);
            }

            if (_pending.Count >= options.MaxQueuedMessagesPerClient)
            {
                metrics.Dropped(DropReason.QueueFull);
                if (options.QueueFullPolicy == QueueFullPolicy.DropNew || _pending.Count == 0) return false;
                Drop(_pending.Dequeue());
            }

            var pending = new Pending(message, qos, retain, subscriptionIds, sequence);
            if (sequence != 0) durable.Add(Store(pending, packetId: 0));
            // The queue keeps the message until it is delivered or dropped (a recycled message must not be queued).
            message.AddReference();
            _pending.Enqueue(pending);
            return true;
        }
    }

    /// <summary>PUBACK (QoS 1) or PUBCOMP (QoS 2) from the client ends a flow (5.0 §4.3.2, §4.3.3).</summary>
    public void Complete(ushort packetId)
    {
        lock (Gate)
        {
            if (_inflight.Remove(packetId, out var done))
            {
                Forget(done.Sequence);
                done.Message.Release();
                Pump();
            }
        }
    }

    /// <summary>PUBREC: answer PUBREL, or end the flow when the client refused it (5.0 §4.3.3, reason ≥ 0x80).</summary>
    public void Received(ushort packetId, MqttReasonCode reason)
    {
        lock (Gate)
        {
            if (!_inflight.TryGetValue(packetId, out var m))
            {
                Connection?.Send(new AckPacket(MqttPacketType.PubRel, packetId, MqttReasonCode.PacketIdentifierNotFound));
                return;
            }

            if ((byte)reason >= 0x80)
            {
                _inflight.Remove(packetId);
                Forget(m.Sequence);
                m.Message.Release();
                Pump();
                return;
            }

            _inflight[packetId] = m with { Released = true };
            if (m.Sequence != 0) Observe(store!.UpdateMessageAsync(ClientId, m.Sequence, packetId, released: true));
            Connection?.Send(new AckPacket(MqttPacketType.PubRel, packetId));
        }
    }

    /// <summary>
    /// Inbound QoS 2, method A of 5.0 §4.3.3: false when this packet id is already awaiting PUBREL (a DUP). A persistent
    /// session stores the id; the write goes to <paramref name="durable"/>, because the PUBREC promises that a resend of
    /// this id is not delivered again, even after a restart.
    /// </summary>
    public bool BeginInboundQos2(ushort packetId, ref DurableWrites durable)
    {
        lock (Gate)
        {
            if (_inboundQos2.TryGetValue(packetId, out var pending))
            {
                // A resend (possibly on a new connection) is answered only once the first receipt's id is durable.
                if (pending is { IsCompletedSuccessfully: false }) durable.Add(pending);
                return false;
            }

            Task? write = null;
            if (Persistent)
            {
                write = store!.AddInboundQos2Async(ClientId, packetId);
                Observe(write);
                durable.Add(write);
            }

            _inboundQos2.Add(packetId, write is { IsCompletedSuccessfully: false } ? write : null);
            return true;
        }
    }

    public int InboundQos2Count
    {
        get { lock (Gate) return _inboundQos2.Count; }
    }

    /// <summary>
    /// PUBREL, or a failure PUBREC: the id is free again. A persistent session's removal goes to <paramref name="durable"/>:
    /// the PUBCOMP lets the client reuse the id, and a restart that still found it would take the next message under it
    /// for a resend and never deliver it.
    /// </summary>
    public bool ReleaseInboundQos2(ushort packetId, ref DurableWrites durable)
    {
        lock (Gate)
        {
            if (!_inboundQos2.Remove(packetId)) return false;
            if (Persistent)
            {
                var write = store!.RemoveInboundQos2Async(ClientId, packetId);
                Observe(write);
                durable.Add(write);
            }

            return true;
        }
    }

    /// <summary>As above, for callers whose answer does not depend on the removal (the id was never acknowledged).</summary>
    public bool ReleaseInboundQos2(ushort packetId)
    {
        var ignored = default(DurableWrites);
        return ReleaseInboundQos2(packetId, ref ignored);
    }

    /// <summary>A session that just became persistent (take-over with an expiry) stores the ids it already holds.</summary>
    public void StoreInboundQos2()
    {
        lock (Gate)
        {
            foreach (var id in _inboundQos2.Keys)
            {
                var write = store!.AddInboundQos2Async(ClientId, id);
                Observe(write);
                _inboundQos2[id] = write.IsCompletedSuccessfully ? null : write;
            }
        }
    }

    /// <summary>Restores the stored packet ids awaiting PUBREL at start-up.</summary>
    public void RestoreInboundQos2(IEnumerable<ushort> packetIds)
    {
        lock (Gate)
        {
            foreach (var id in packetIds) _inboundQos2.TryAdd(id, null);
        }
    }

    /// <summary>The session ends (clean start, expiry): forget everything, and take nothing more.</summary>
    public void Clear()
    {
        lock (Gate)
        {
            _ended = true;
            foreach (var (_, m) in _inflight) m.Message.Release();
            foreach (var p in _pending) p.Message.Release();
            _inflight.Clear();
            _pending.Clear();
            _inboundQos2.Clear();
        }
    }

    private void Pump()
    {
        var connection = Connection;
        if (connection is null) return;
        var ignored = default(DurableWrites);
        while (_pending.Count > 0 && _inflight.Count < connection.OutboundReceiveMaximum)
        {
            SendNew(connection, _pending.Dequeue(), ref ignored, queued: true);
        }
    }

    /// <summary>
    /// <paramref name="queued"/>: taken from the queue, so the queue's reference to the message moves to the in-flight
    /// window, and the message is already in the store, so only its packet id is written.
    /// </summary>
    private bool SendNew(MqttConnection connection, Pending p, ref DurableWrites durable, bool queued = false)
    {
        if (p.Message.IsExpired(time.GetUtcNow()))
        {
            metrics.Dropped(DropReason.Expired); // 5.0 §3.3.2.3.3
            if (queued) Drop(p);
            return false;
        }

        if (!connection.FitsClientMaximum(p.Message, p.QoS, p.SubscriptionIds))
        {
            metrics.Dropped(DropReason.PacketTooLarge); // 5.0 §3.1.2.11.4: discard as if delivered
            if (queued) Drop(p);
            return false;
        }

        if (!queued) p.Message.AddReference();
        var id = NextPacketId();
        _inflight.Add(id, new Inflight(p.Message, p.QoS, p.Retain, p.SubscriptionIds, Released: false, p.Sequence));
        if (p.Sequence != 0)
        {
            // Written before the PUBLISH is queued, so the subscriber's PUBACK can only remove it after this.
            if (queued) Observe(store!.UpdateMessageAsync(ClientId, p.Sequence, id, released: false));
            else durable.Add(Store(p, id));
        }

        connection.SendPublish(p.Message, p.QoS, id, dup: false, p.Retain, p.SubscriptionIds);
        return true;
    }

    /// <summary>
    /// Restores stored messages at start-up, in their original order: those with a packet id as in flight (resent with
    /// DUP on the next connection, 5.0 §4.4), the rest as queued.
    /// </summary>
    public void Restore(IEnumerable<(long Sequence, ushort PacketId, bool Released, StoredMessageCodec.Decoded Message)> entries)
    {
        lock (Gate)
        {
            foreach (var (sequence, packetId, released, m) in entries)
            {
                _lastSequence = Math.Max(_lastSequence, sequence);
                if (packetId != 0 && !_inflight.ContainsKey(packetId))
                {
                    _inflight.Add(packetId, new Inflight(m.Message, m.QoS, m.Retain, m.SubscriptionIds, released, sequence));
                    _lastPacketId = packetId;
                }
                else _pending.Enqueue(new Pending(m.Message, m.QoS, m.Retain, m.SubscriptionIds, sequence));
            }
        }
    }

    private Task Store(in Pending p, ushort packetId)
    {
        var write = store!.AddMessageAsync(ClientId, p.Sequence, packetId, StoredMessageCodec.Encode(p.Message, p.QoS, p.Retain, p.SubscriptionIds));
        Observe(write);
        return write;
    }

    /// <summary>A queued message that will not be sent: out of the store and its reference released.</summary>
    private void Drop(in Pending p)
    {
        Forget(p.Sequence);
        p.Message.Release();
    }

    private void Forget(long sequence)
    {
        if (sequence != 0) Observe(store!.RemoveMessageAsync(ClientId, sequence));
    }

    private void Observe(Task write)
    {
        if (!write.IsCompletedSuccessfully) StoreFailures.Observe(write, logger, ClientId);
    }

    private ushort NextPacketId()
    {
        // Callers keep in-flight below 65535, so a free id exists (5.0 §2.2.1).
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (_inflight.ContainsKey(_lastPacketId));

        return _lastPacketId;
    }

    /// <summary><see cref="Sequence"/> is the store's key for the message; 0 when not stored (clean session).</summary>
    private readonly record struct Pending(MqttApplicationMessage Message, MqttQualityOfService QoS, bool Retain, uint[]? SubscriptionIds, long Sequence);

    private readonly record struct Inflight(MqttApplicationMessage Message, MqttQualityOfService QoS, bool Retain, uint[]? SubscriptionIds, bool Released, long Sequence);
}
