using System.Collections.Concurrent;
using System.Text;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Edge.Sessions;
using GridGov.Realtime.Edge.Topics;
using GridGov.Realtime.Edge.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Edge.Broker;

/// <summary>How a connection ended, which decides the fate of its will and session.</summary>
internal enum CloseKind
{
    /// <summary>DISCONNECT 0x00: the will is discarded (3.1.1 §3.14.4, 5.0 §3.14.4).</summary>
    Normal,
    /// <summary>5.0 DISCONNECT 0x04: close normally but publish the will.</summary>
    NormalWithWill,
    /// <summary>Network failure, protocol error, keep-alive timeout, server-side close: the will is published.</summary>
    Abnormal,
    /// <summary>Another connection took the client id over (5.0 §3.1.4).</summary>
    TakenOver,
    /// <summary>CONNECT refused; no session was ever opened.</summary>
    Refused,
}

/// <summary>
/// The broker's shared state: sessions by client id, the subscription tree, retained messages; routing; and the
/// in-process hook. Connections call in from their read loops.
/// </summary>
internal sealed partial class MqttBroker : IMqttBroker
{
    [ThreadStatic]
    private static MatchResults? t_results;

    private readonly ConcurrentDictionary<string, MqttSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _connectGate = new();
    // Retained set and store write happen together, so the store sees replacements of one topic in the same order.
    private readonly Lock _retainGate = new();
    private readonly Func<string, bool> _isOnline;
    private int _connected;

    public MqttBroker(
        IOptions<EdgeOptions> options,
        MqttAuthorizer authorizer,
        EdgeMetrics metrics,
        TimeProvider time,
        ILogger<MqttBroker> logger,
        IServiceProvider services)
    {
        Options = options.Value;
        Authorizer = authorizer;
        Metrics = metrics;
        Time = time;
        Logger = logger;
        // Resolved lazily-free: both are optional registrations of the host.
        Authenticator = services.GetService<IMqttAuthenticator>();
        UplinkHandlers = [.. services.GetServices<IMqttUplinkHandler>()];
        ConnectionObservers = [.. services.GetServices<IMqttConnectionObserver>()];
        Store = services.GetService<IMqttStateStore>();
        Tree = new SubscriptionTree(Math.Max(Options.MaxTopicLevels, 1) + 2);
        Retained = new RetainedMessageStore(time, Options.MaxRetainedMessages, Options.MaxRetainedBytes);
        BadInputLog = new LogRateLimiter(time);
        _isOnline = id => _sessions.TryGetValue(id, out var s) && s.Connection is not null;
        metrics.ObserveBroker(() => _sessions.Count, () => _sessions.Values.Sum(s => (long)s.Depth), () => Retained.Count, () => Messages.Outstanding, () => Messages.Count);
    }

    public EdgeOptions Options { get; }
    public MqttAuthorizer Authorizer { get; }
    public IMqttAuthenticator? Authenticator { get; }
    public IMqttUplinkHandler[] UplinkHandlers { get; }
    public IMqttConnectionObserver[] ConnectionObservers { get; }
    public EdgeMetrics Metrics { get; }
    public TimeProvider Time { get; }
    public ILogger Logger { get; }
    public LogRateLimiter BadInputLog { get; }
    public SubscriptionTree Tree { get; }
    public RetainedMessageStore Retained { get; }

    /// <summary>Recycled message objects for clients' PUBLISHes (no allocation per message).</summary>
    public MqttMessagePool Messages { get; } = new();

    /// <summary>Where persistent sessions and retained messages are kept across restarts; null keeps them in memory only.</summary>
    public IMqttStateStore? Store { get; }

    public int ConnectedClientCount => Volatile.Read(ref _connected);
    public int SessionCount => _sessions.Count;

    public bool IsConnected(string clientId) => _isOnline(clientId);

    internal MqttSession? FindSession(string clientId) => _sessions.GetValueOrDefault(clientId);

    /// <summary>
    /// Opens or resumes the session of an accepted CONNECT (3.1.1 §3.1.2.4, 5.0 §3.1.2.4), taking over a live connection of
    /// the same client id (5.0 §3.1.4 step 3). <paramref name="sendConnAck"/> runs before any queued message is resent.
    /// </summary>
    public MqttSession OpenSession(MqttConnection connection, string clientId, bool cleanStart, uint expirySeconds, Action<bool> sendConnAck)
    {
        lock (_connectGate)
        {
            var present = false;
            if (_sessions.TryGetValue(clientId, out var existing))
            {
                existing.ExpiryTimer?.Dispose();
                existing.ExpiryTimer = null;
                existing.WillTimer?.Dispose();
                existing.WillTimer = null;
                if (existing.Connection is { } old)
                {
                    EdgeLog.TakenOver(Logger, clientId);
                    old.TakeOver();
                    existing.Detach(old);
                }

                if (cleanStart)
                {
                    // The old session ends here, so a will still waiting on its delay goes out now (5.0 §3.1.2.5).
                    if (existing.PendingWill is { } will) PublishWill(will, clientId);
                    existing.PendingWill = null;
                    existing.Clear();
                    Tree.RemoveClient(clientId);
                    _sessions.TryRemove(clientId, out _);
                    Unstore(existing);
                    existing = null;
                }
                else
                {
                    // A new connection before the will delay passed cancels the will (5.0 §3.1.3.2.2).
                    ClearPendingWill(existing);
                    present = true;
                }
            }

            var session = existing ?? new MqttSession(clientId, Options, Metrics, Time, Store, Logger);
            session.ExpirySeconds = expirySeconds;
            // Connected: no deadline until the connection ends. A session resumed with expiry 0 ends with this
            // connection, so a crash must not bring it back.
            if (session.Persistent)
            {
                // A session that lived with its connection until now (5.0 §3.1.2.11.2) keeps its subscriptions from here on.
                var newlyStored = present && !session.Stored;
                SaveSession(session, expiresAt: null);
                if (newlyStored)
                {
                    foreach (var (filter, options) in Tree.GetSubscriptions(clientId)) Observe(Store!.SaveSubscriptionAsync(clientId, filter, options), clientId);
                    session.StoreInboundQos2();
                }
            }
            else Unstore(session);
            _sessions[clientId] = session;
            Interlocked.Increment(ref _connected);
            sendConnAck(present);
            session.Attach(connection, present);
            return session;
        }
    }

    /// <summary>Detaches a closed connection; publishes or schedules its will; ends or schedules the end of its session.</summary>
    public void CloseSession(MqttConnection connection, MqttSession session, CloseKind kind)
    {
        lock (_connectGate)
        {
            Interlocked.Decrement(ref _connected);
            var will = connection.Will;
            if (kind == CloseKind.TakenOver)
            {
                if (will is not null && connection.WillDelaySeconds == 0) PublishWill(will, session.ClientId);
                return;
            }

            if (session.Connection != connection) return;
            session.Detach(connection);
            var expiry = session.ExpirySeconds;
            if (will is not null && kind is CloseKind.Abnormal or CloseKind.NormalWithWill)
            {
                // 5.0 §3.1.3.2.2: the will goes at the earlier of the will delay and the end of the session.
                var delay = Math.Min(connection.WillDelaySeconds, expiry);
                if (delay == 0) PublishWill(will, session.ClientId);
                else
                {
                    session.PendingWill = will;
                    if (session.Persistent)
                    {
                        // Stored with its due time, so a restart before then still sends it (MqttBroker.Restore).
                        var dueAt = Time.GetUtcNow().AddSeconds(delay);
                        Observe(Store!.SaveWillAsync(session.ClientId, StoredMessageCodec.EncodeWill(will, session.ClientId, dueAt), dueAt), session.ClientId);
                    }

                    StartWillTimer(session, TimeSpan.FromSeconds(delay));
                }
            }

            if (expiry == 0) RemoveSession(session);
            else
            {
                if (session.Persistent) SaveSession(session, Time.GetUtcNow().AddSeconds(expiry));
                session.ExpiryTimer = Time.CreateTimer(static s => ((State)s!).Broker.ExpireSession(((State)s).Session), new State(this, session), TimeSpan.FromSeconds(expiry), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void SaveSession(MqttSession session, DateTimeOffset? expiresAt)
    {
        session.Stored = true;
        Observe(Store!.SaveSessionAsync(session.ClientId, session.ExpirySeconds, expiresAt), session.ClientId);
    }

    /// <summary>Removes a session's stored state (clean start, expiry, or an expiry of 0 from now on).</summary>
    private void Unstore(MqttSession session)
    {
        if (!session.Stored) return;
        session.Stored = false;
        Observe(Store!.DeleteSessionAsync(session.ClientId), session.ClientId);
    }

    private void Observe(Task write, string? clientId)
    {
        if (!write.IsCompletedSuccessfully) StoreFailures.Observe(write, Logger, clientId);
    }

    private void StartWillTimer(MqttSession session, TimeSpan delay) =>
        session.WillTimer = Time.CreateTimer(static s => ((State)s!).Broker.FireWill(((State)s).Session), new State(this, session), delay, Timeout.InfiniteTimeSpan);

    private void FireWill(MqttSession session)
    {
        lock (_connectGate)
        {
            if (session.Connection is null && session.PendingWill is { } will)
            {
                // Published before its stored copy is deleted: a crash in between sends it twice rather than never.
                PublishWill(will, session.ClientId);
                ClearPendingWill(session);
            }
        }
    }

    /// <summary>Forgets the will waiting on its delay (published, or cancelled by a new connection) and its stored copy.</summary>
    private void ClearPendingWill(MqttSession session)
    {
        if (session.PendingWill is null) return;
        session.PendingWill = null;
        if (session.Persistent) Observe(Store!.DeleteWillAsync(session.ClientId), session.ClientId);
    }

    private void ExpireSession(MqttSession session)
    {
        lock (_connectGate)
        {
            if (session.Connection is not null || FindSession(session.ClientId) != session) return;
            if (session.PendingWill is { } will) PublishWill(will, session.ClientId);
            session.PendingWill = null;
            EdgeLog.SessionExpired(Logger, session.ClientId);
            RemoveSession(session);
        }
    }

    private void RemoveSession(MqttSession session)
    {
        session.WillTimer?.Dispose();
        session.ExpiryTimer?.Dispose();
        session.Clear();
        if (_sessions.TryRemove(new KeyValuePair<string, MqttSession>(session.ClientId, session))) Tree.RemoveClient(session.ClientId);
        Unstore(session);
    }

    private void PublishWill(MqttWill will, string clientId)
    {
        var message = MqttApplicationMessage.FromWill(will, clientId, Time.GetUtcNow());
        if (message.Retain) Retain(message);
        Route(message);
    }

    /// <summary>Stores, replaces or clears (empty payload) the topic's retained message (5.0 §3.3.1.3).</summary>
    public RetainResult Retain(MqttApplicationMessage message)
    {
        var ignored = default(DurableWrites);
        return Retain(message, ref ignored);
    }

    /// <summary>As above; the store write that makes the change durable is added to <paramref name="durable"/>.</summary>
    public RetainResult Retain(MqttApplicationMessage message, ref DurableWrites durable)
    {
        // The retained store keeps the message without counting references, so it never goes back to the pool.
        message.Pin();
        RetainResult result;
        lock (_retainGate)
        {
            result = Retained.Set(message.Topic, message.Payload, message.QoS, message, message.ExpiresAt);
            var write = Store is null ? null : result switch
            {
                RetainResult.Stored or RetainResult.Replaced => Store.SetRetainedAsync(message.Topic, StoredMessageCodec.Encode(message, message.QoS, retain: true, null)),
                RetainResult.Cleared => Store.ClearRetainedAsync(message.Topic),
                _ => null,
            };
            if (write is not null)
            {
                Observe(write, null);
                durable.Add(write);
            }
        }

        if (result is RetainResult.CountLimitReached or RetainResult.ByteLimitReached) Metrics.Dropped(DropReason.RetainedQuota);
        return result;
    }

    /// <summary>Sends or queues the message to every matching subscription; returns how many took it.</summary>
    public int Route(MqttApplicationMessage message)
    {
        var ignored = default(DurableWrites);
        return Route(message, ref ignored);
    }

    /// <summary>As above; the writes to persistent sessions' stored queues are added to <paramref name="durable"/>.</summary>
    public int Route(MqttApplicationMessage message, ref DurableWrites durable)
    {
        var results = t_results ??= new MatchResults();
        Tree.Match(message.Topic, results, message.PublisherClientId, _isOnline);
        var delivered = 0;
        foreach (ref readonly var match in results.AsSpan())
        {
            if (!_sessions.TryGetValue(match.ClientId, out var session)) continue;
            var qos = match.Qos < message.QoS ? match.Qos : message.QoS; // 5.0 §3.8.4: the lower of the two
            // 5.0 §3.3.1.3: forwarded messages carry RETAIN 0 unless Retain As Published.
            var retain = match.RetainAsPublished && message.Retain;
            if (session.Deliver(message, qos, retain, ToArray(results.GetSubscriptionIdentifiers(match)), ref durable)) delivered++;
        }

        results.Clear();
        return delivered;
    }

    /// <summary>Retained messages for a new subscription (5.0 §3.8.4), RETAIN 1 as stored.</summary>
    public void DeliverRetained(MqttSession session, string filter, MqttQualityOfService grantedQos, uint subscriptionId)
    {
        uint[]? ids = subscriptionId == 0 ? null : [subscriptionId];
        foreach (var retained in Retained.Match(filter))
        {
            if (retained.Properties is not MqttApplicationMessage message) continue;
            var qos = grantedQos < message.QoS ? grantedQos : message.QoS;
            session.Deliver(message, qos, retain: true, ids);
        }
    }

    private static uint[]? ToArray(ReadOnlySpan<int> ids)
    {
        if (ids.IsEmpty) return null;
        var array = new uint[ids.Length];
        for (var i = 0; i < ids.Length; i++) array[i] = (uint)ids[i];
        return array;
    }

    public ValueTask<int> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce, bool retain = false, MqttPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        var valid = TopicValidator.ValidateTopicName(topic);
        if (!valid.IsValid) throw new ArgumentException(valid.Message, nameof(topic));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)qos, 2, nameof(qos));
        var now = Time.GetUtcNow();
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            TopicUtf8 = Encoding.UTF8.GetBytes(topic),
            Payload = payload.ToArray(), // the caller may reuse its buffer
            QoS = qos,
            Retain = retain,
            ExpiresAt = options?.MessageExpiryInterval is { } s ? now.AddSeconds(s) : null,
            PayloadFormat = options?.PayloadFormat,
            ContentType = options?.ContentType is { } ct ? Encoding.UTF8.GetBytes(ct) : null,
            ResponseTopic = options?.ResponseTopic is { } rt ? Encoding.UTF8.GetBytes(rt) : null,
            CorrelationData = options?.CorrelationData?.ToArray(),
            UserProperties = options?.UserProperties,
        };
        var durable = default(DurableWrites);
        if (retain) Retain(message, ref durable);
        var delivered = Route(message, ref durable);
        return durable.Pending is { } writes ? AfterAsync(writes, delivered) : ValueTask.FromResult(delivered);

        // In-process publishers (warnings, escalations) are acknowledged like MQTT ones: once durable.
        static async ValueTask<int> AfterAsync(Task writes, int delivered)
        {
            await writes;
            return delivered;
        }
    }

    /// <summary>A persistent session's subscription, stored so it survives a restart (5.0 §4.1).</summary>
    public void Subscribed(MqttSession session, string filter, SubscriptionOptions options, ref DurableWrites durable)
    {
        if (!session.Persistent) return;
        var write = Store!.SaveSubscriptionAsync(session.ClientId, filter, options);
        Observe(write, session.ClientId);
        durable.Add(write);
    }

    public void Unsubscribed(MqttSession session, string filter)
    {
        if (session.Persistent) Observe(Store!.DeleteSubscriptionAsync(session.ClientId, filter), session.ClientId);
    }

    public bool Disconnect(string clientId, MqttReasonCode reason = MqttReasonCode.AdministrativeAction)
    {
        if (FindSession(clientId)?.Connection is not { } connection) return false;
        connection.RequestClose(reason);
        return true;
    }

    public int DisconnectDevice(string deviceId, MqttReasonCode reason = MqttReasonCode.AdministrativeAction)
    {
        var closed = 0;
        foreach (var session in _sessions.Values)
        {
            if (session.Connection is not { } connection || connection.Principal?.DeviceId != deviceId) continue;
            connection.RequestClose(reason);
            closed++;
        }
        return closed;
    }

    private sealed record State(MqttBroker Broker, MqttSession Session);
}
