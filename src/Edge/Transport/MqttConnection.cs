using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Threading.Channels;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Edge.Sessions;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>
/// One MQTT network connection, whatever carries it (TCP, TLS, WebSocket): a read loop that owns the input pipe and a
/// write loop that drains a byte-bounded outbound queue, so a publisher never waits for a slow subscriber.
/// </summary>
internal sealed partial class MqttConnection
{
    private readonly IDuplexPipe _transport;
    private readonly Action _abort;
    private readonly MqttBroker _broker;
    private readonly EdgeOptions _options;
    private readonly EdgeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private long _queuedBytes;
    private long _lastActivity;
    private int _keepAliveSeconds;
    private uint _clientMaxPacketSize;
    private bool _problemInformation = true;
    private string?[]? _aliases;
    private string _lastTopic = "";
    private byte[] _lastTopicUtf8 = [];
    private OutboundTopicAliases? _outboundAliases;
    private MqttSession? _session;
    private MqttPrincipal? _principal;
    private ITimer? _timer;
    private volatile bool _closeRequested;
    private volatile bool _takenOver;
    private volatile bool _shutdown;
    // Cancelled when the transport closes, or when a host stop gives up waiting for this connection's handlers.
    private readonly CancellationTokenSource _closing = new();
    private int _slowLogged;

    public MqttConnection(IDuplexPipe transport, EndPoint? remoteEndPoint, Action abort, MqttBroker broker)
    {
        _transport = transport;
        _abort = abort;
        _broker = broker;
        _options = broker.Options;
        _metrics = broker.Metrics;
        _time = broker.Time;
        RemoteEndPoint = remoteEndPoint;
        Remote = remoteEndPoint?.ToString() ?? "(unknown)";
    }

    public EndPoint? RemoteEndPoint { get; }
    public string Remote { get; }
    public MqttProtocolVersion Version { get; private set; }
    public string? ClientId { get; private set; }

    /// <summary>Who authenticated this connection; null until CONNECT is accepted.</summary>
    public MqttPrincipal? Principal => _principal;
    public MqttWill? Will { get; private set; }
    public uint WillDelaySeconds { get; private set; }

    /// <summary>Outbound QoS 1/2 in flight allowed: ours, lowered by a 5.0 client's Receive Maximum (5.0 §4.9).</summary>
    public int OutboundReceiveMaximum { get; private set; } = 1;

    private bool V5 => Version == MqttProtocolVersion.V500;

    /// <summary>Runs the connection until it closes. Never throws for network or protocol trouble.</summary>
    public async Task RunAsync(CancellationToken connectionClosed)
    {
        _metrics.ConnectionOpened();
        _broker.Started(this);
        _lastActivity = _time.GetTimestamp();
        _timer = _time.CreateTimer(static s => ((MqttConnection)s!).OnTimer(), this, _options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        var writer = WriteLoopAsync();
        var kind = CloseKind.Abnormal;
        using var closed = connectionClosed.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _closing);
        try
        {
            kind = await ReadLoopAsync(_closing.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException
            or Microsoft.AspNetCore.Connections.ConnectionAbortedException or Microsoft.AspNetCore.Connections.ConnectionResetException
            or System.Net.WebSockets.WebSocketException)
        {
            kind = _takenOver ? CloseKind.TakenOver : CloseKind.Abnormal;
        }
        catch (Exception ex)
        {
            // A bug in our own code: close this connection only, and say so loudly.
            EdgeLog.LoopFailed(_broker.Logger, ex, ClientId);
        }
        finally
        {
            _timer.Dispose();
            if (_takenOver) kind = CloseKind.TakenOver;
            if (_session is not null)
            {
                _broker.CloseSession(this, _session, kind);
                EdgeLog.Disconnected(_broker.Logger, ClientId!, kind.ToString());
                // A server shutdown is not the terminal losing its network: it reconnects to the next process.
                if ((kind is CloseKind.Abnormal or CloseKind.NormalWithWill) && !_shutdown) NotifyConnectionLost();
            }

            try
            {
                // Acks of publishes whose handlers are still finishing go out before the connection closes.
                await StopAckPumpAsync().WaitAsync(TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // A handler that never finishes must not hold the connection open; its publish is not acked.
            }

            // After the acks (no packet may follow a DISCONNECT, 5.0 §3.14.4), unless the client ended it first.
            if (_shutdown && kind == CloseKind.Abnormal && V5 && _session is not null && !_disconnectQueued) Send(new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown });

            _outbound.Writer.TryComplete();
            try
            {
                // Let a final DISCONNECT / CONNACK go out, but never wait on a client that stopped reading.
                await writer.WaitAsync(TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None);
                ReleaseUnsent();
            }
            catch (Exception)
            {
                _abort();
            }

            try
            {
                await _transport.Input.CompleteAsync();
                await _transport.Output.CompleteAsync();
            }
            finally
            {
                _metrics.ConnectionClosed();
                _broker.Finished(this); // a host stop waits for this
            }
        }
    }

    private async Task<CloseKind> ReadLoopAsync(CancellationToken cancellationToken)
    {
        var input = _transport.Input;
        while (true)
        {
            // No token here: a closed transport completes the pipe after the bytes it delivered, so a DISCONNECT that
            // arrived just before the close is still read (a cancelled read would drop it and publish the will).
            // Closing from our side cancels the pending read instead (Shutdown, RequestClose, timeouts).
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            try
            {
                if (result.IsCanceled || _closeRequested) return CloseKind.Abnormal;
                while (true)
                {
                    var status = MqttDecoder.TryRead(buffer, Version, _options.MaxPacketSize, out var packetEnd, out _, out var packet);
                    if (status.Status == DecodeStatus.NeedMoreData) break;
                    if (status.IsError) return DecodeFailed(status);

                    _metrics.BytesIn(buffer.Slice(buffer.Start, packetEnd).Length);
                    _lastActivity = _time.GetTimestamp();
                    // PUBLISH slices point into 'buffer': the pipe is advanced only after the packet was handled.
                    var outcome = await HandleAsync(packet, cancellationToken);
                    buffer = buffer.Slice(packetEnd);
                    consumed = packetEnd;
                    if (outcome is { } close) return close;
                    if (_closeRequested) return CloseKind.Abnormal;
                }

                if (result.IsCompleted) return CloseKind.Abnormal;
            }
            finally
            {
                input.AdvanceTo(consumed, examined);
            }
        }
    }

    private CloseKind DecodeFailed(DecodeResult status)
    {
        // A failed CONNECT is answered with CONNACK in the level it declared (5.0 §4.13.1, 3.1.1 §4.8).
        if (Version == MqttProtocolVersion.Unknown && status.ConnectVersion != MqttProtocolVersion.Unknown)
        {
            Version = status.ConnectVersion;
            if (V5) Send(new ConnAckPacket { ReasonCode = status.ReasonCode });
            else if (MqttReasonCodes.ToConnectReturnCode(status.ReasonCode) is { } rc) Send(new ConnAckPacket { ReasonCode = MqttReasonCodes.FromConnectReturnCode(rc) });
        }

        ProtocolViolation(status.ReasonCode, status.Message);
        return CloseKind.Abnormal;
    }

    /// <summary>Logs (rate-limited), counts, and on 5.0 sends DISCONNECT with the reason first (5.0 §4.13.1).</summary>
    private CloseKind ProtocolViolation(MqttReasonCode code, string? message)
    {
        _metrics.ProtocolError();
        if (_broker.BadInputLog.ShouldLog()) EdgeLog.ProtocolViolation(_broker.Logger, Remote, ClientId, code, message);
        if (V5 && _session is not null) Send(new DisconnectPacket { ReasonCode = code, Properties = ReasonString(message) });
        return CloseKind.Abnormal;
    }

    /// <summary>
    /// 5.0 §3.14.2.2.3: a DISCONNECT may say why in a Reason String (allowed whatever Request Problem Information says,
    /// §3.1.2.11.7), left out when it would push the packet over the client's Maximum Packet Size [MQTT-3.14.2-3].
    /// </summary>
    private MqttProperties? ReasonString(string? message) =>
        message is null || !FitsClientMaximum(message) ? null : new MqttProperties { ReasonString = message };

    /// <summary>A Reason String this long keeps a small packet within the client's Maximum Packet Size (16: the rest of it).</summary>
    private bool FitsClientMaximum(string reason) => _clientMaxPacketSize == 0 || Encoding.UTF8.GetByteCount(reason) + 16 <= _clientMaxPacketSize;

    private ValueTask<CloseKind?> HandleAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        if (packet.Type == MqttPacketType.Connect)
        {
            return _session is null
                ? HandleConnectAsync(packet.Connect, cancellationToken)
                : new(ProtocolViolation(MqttReasonCode.ProtocolError, "Second CONNECT [MQTT-3.1.0-2]."));
        }

        var session = _session;
        if (session is null) return new(ProtocolViolation(MqttReasonCode.ProtocolError, "First packet is not CONNECT [MQTT-3.1.0-1]."));
        switch (packet.Type)
        {
            case MqttPacketType.Publish:
                return HandlePublishAsync(packet.Publish, session, cancellationToken);
            case MqttPacketType.PubAck:
            case MqttPacketType.PubComp:
                session.Complete(packet.Ack.PacketId);
                return new((CloseKind?)null);
            case MqttPacketType.PubRec:
                session.Received(packet.Ack.PacketId, packet.Ack.ReasonCode);
                return new((CloseKind?)null);
            case MqttPacketType.PubRel:
                // 5.0 §4.3.3: PUBCOMP either way; 0x92 when we had no such packet id. It waits for a persistent session's
                // removal of the id to be durable (see ReleaseInboundQos2).
                var released = default(DurableWrites);
                var known = session.ReleaseInboundQos2(packet.Ack.PacketId, ref released);
                return CompleteInOrderAsync(packet.Ack.PacketId, session, known || !V5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound, released.Pending);
            case MqttPacketType.Subscribe:
                return HandleSubscribeAsync(packet.Subscribe, session);
            case MqttPacketType.Unsubscribe:
                HandleUnsubscribe(packet.Unsubscribe, session);
                return new((CloseKind?)null);
            case MqttPacketType.PingReq:
                SendControl(OutboundKind.PingResp, null);
                return new((CloseKind?)null);
            case MqttPacketType.Disconnect:
                return new(HandleDisconnect(packet.Disconnect, session));
            default:
                // AUTH without an Authentication Method in CONNECT, or a server-to-client packet (5.0 §4.12).
                return new(ProtocolViolation(MqttReasonCode.ProtocolError, $"Unexpected {packet.Type} from client."));
        }
    }

    private async ValueTask<CloseKind?> HandleConnectAsync(ConnectPacket connect, CancellationToken cancellationToken)
    {
        Version = connect.ProtocolVersion;
        var clientId = connect.ClientId;
        var assigned = false;
        if (clientId.Length == 0)
        {
            // 3.1.1 §3.1.3.1: a zero-length id needs Clean Session 1; 5.0 §3.1.3.1: the server assigns one.
            if (!V5 && !connect.CleanStart) return Refuse(MqttReasonCode.ClientIdentifierNotValid, null);
            clientId = "auto-" + Guid.NewGuid().ToString("N");
            assigned = true;
        }

        // 5.0 §4.12: no enhanced authentication method is supported, so a CONNECT that names one is refused.
        if (connect.Properties?.AuthenticationMethod is not null) return Refuse(MqttReasonCode.BadAuthenticationMethod, connect.UserName);

        MqttPrincipal principal;
        if (connect.UserName is null)
        {
            if (!_options.AllowAnonymous) return Refuse(MqttReasonCode.NotAuthorized, null);
            principal = new MqttPrincipal("(anonymous)", MqttPrincipalKind.Anonymous, _options.AnonymousAccess.Publish, _options.AnonymousAccess.Subscribe);
        }
        else
        {
            if (_broker.Authenticator is not { } authenticator) return Refuse(MqttReasonCode.BadUserNameOrPassword, connect.UserName);
            var result = await authenticator.AuthenticateAsync(
                new MqttAuthenticationContext(clientId, connect.UserName, connect.Password ?? [], Version, RemoteEndPoint), cancellationToken);
            if (result.Principal is not { } p) return Refuse(result.ReasonCode == MqttReasonCode.Success ? MqttReasonCode.NotAuthorized : result.ReasonCode, connect.UserName);
            principal = p;
        }

        if (connect.Will is { } will)
        {
            if (!TopicValidator.ValidateTopicName(will.Topic).IsValid) return Refuse(MqttReasonCode.TopicNameInvalid, connect.UserName);
            if (!_broker.Authorizer.CanPublish(principal, will.Topic))
            {
                EdgeLog.Denied(_broker.Logger, clientId, principal.Name, "set a will on", will.Topic);
                return Refuse(MqttReasonCode.NotAuthorized, connect.UserName);
            }
        }

        _principal = principal;
        ClientId = clientId;
        Will = connect.Will;
        WillDelaySeconds = connect.Will?.Properties?.WillDelayInterval ?? 0;
        var props = connect.Properties;
        OutboundReceiveMaximum = Math.Min(_options.MaxInflightPerClient, props?.ReceiveMaximum ?? ushort.MaxValue);
        _clientMaxPacketSize = props?.MaximumPacketSize ?? 0;
        _problemInformation = props?.RequestProblemInformation ?? true;
        var aliases = Math.Min(props?.TopicAliasMaximum ?? 0, _options.OutboundTopicAliasMaximum);
        _outboundAliases = V5 && aliases > 0 ? new OutboundTopicAliases(aliases) : null;
        _keepAliveSeconds = connect.KeepAlive;
        // 3.1.1 persistent sessions have no expiry of their own; 5.0 asks for one (5.0 §3.1.2.11.2), capped by us.
        var requested = V5 ? props?.SessionExpiryInterval ?? 0 : connect.CleanStart ? 0u : uint.MaxValue;
        var expiry = Math.Min(requested, _options.MaxSessionExpirySeconds);

        _session = _broker.OpenSession(this, clientId, connect.CleanStart, expiry, present =>
        {
            var ack = new ConnAckPacket { SessionPresent = present, ReasonCode = MqttReasonCode.Success };
            if (V5)
            {
                ack.Properties = new MqttProperties
                {
                    AssignedClientIdentifier = assigned ? clientId : null,
                    ReceiveMaximum = (ushort)_options.ReceiveMaximum,
                    TopicAliasMaximum = _options.TopicAliasMaximum > 0 ? (ushort)_options.TopicAliasMaximum : null,
                    MaximumPacketSize = (uint)_options.MaxPacketSize,
                    SessionExpiryInterval = expiry != requested ? expiry : null,
                };
            }

            Send(ack);
        });

        // Due when 1.5x the keep-alive has passed without a packet; OnTimer moves it on while packets arrive.
        _timer?.Change(_keepAliveSeconds > 0 ? KeepAliveLimit : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        _metrics.Accepted();
        EdgeLog.Connected(_broker.Logger, clientId, Remote, principal.Name, (int)Version, connect.CleanStart, _session is not null);
        return null;
    }

    private CloseKind Refuse(MqttReasonCode code, string? user)
    {
        _metrics.Rejected(code);
        EdgeLog.ConnectRefused(_broker.Logger, Remote, code, user);
        if (V5) Send(new ConnAckPacket { ReasonCode = code });
        else if (MqttReasonCodes.ToConnectReturnCode(code) is { } rc) Send(new ConnAckPacket { ReasonCode = MqttReasonCodes.FromConnectReturnCode(rc) });
        return CloseKind.Refused;
    }

    private async ValueTask<CloseKind?> HandlePublishAsync(PublishPacket publish, MqttSession session, CancellationToken cancellationToken)
    {
        // [MQTT-3.3.4-6]: a client must not send a Subscription Identifier.
        if (publish.SubscriptionIdentifiers is not null) return ProtocolViolation(MqttReasonCode.ProtocolError, "Subscription Identifier in client PUBLISH.");
        if (ResolveTopic(publish, out var topic) is { } aliasError) return ProtocolViolation(aliasError, "Bad topic alias.");
        var valid = TopicValidator.ValidateTopicName(topic);
        if (!valid.IsValid) return ProtocolViolation(MqttReasonCode.TopicNameInvalid, valid.Message);

        var qos = publish.QoS;
        _metrics.MessageIn(qos);
        var durable = default(DurableWrites);
        if (qos == MqttQualityOfService.ExactlyOnce)
        {
            // Exactly once, method A (5.0 §4.3.3): deliver on first receipt, answer duplicates with PUBREC only. Every
            // PUBREC below waits for a persistent session's packet id to be stored (in durable).
            if (!session.BeginInboundQos2(publish.PacketId, ref durable))
            {
                return await AckAsync(publish, session, MqttReasonCode.Success, durable.Pending);
            }

            if (session.InboundQos2Count > _options.ReceiveMaximum)
            {
                // Never delivered, so the id must not make the client's resend look like a duplicate.
                session.ReleaseInboundQos2(publish.PacketId);
                return ProtocolViolation(MqttReasonCode.ReceiveMaximumExceeded, "Receive Maximum exceeded.");
            }
        }

        var principal = _principal!;
        if (!_broker.Authorizer.CanPublish(principal, topic))
        {
            _metrics.Dropped(DropReason.NotAuthorized);
            if (_broker.BadInputLog.ShouldLog()) EdgeLog.Denied(_broker.Logger, ClientId!, principal.Name, "publish to", topic);
            // 3.1.1 has no code for it: the ack is still sent, the message dropped.
            return await AckAsync(publish, session, MqttReasonCode.NotAuthorized, durable.Pending, "Not authorised to publish to this topic.");
        }

        if (publish.PayloadFormatIndicator == MqttPayloadFormat.Utf8 && !IsUtf8(publish.Payload))
        {
            _metrics.Dropped(DropReason.PayloadFormatInvalid); // 5.0 §3.3.2.3.2
            return await AckAsync(publish, session, MqttReasonCode.PayloadFormatInvalid, durable.Pending, "Payload Format Indicator says UTF-8 but the payload is not valid UTF-8.");
        }

        // Ours until released: RunUplinkHandlersAsync releases it once the handlers are done with its payload.
        var message = _broker.Messages.Rent(publish, topic, TopicUtf8(topic), ClientId!, _time.GetUtcNow());
        if (message.Retain && _broker.Retain(message, ref durable) is RetainResult.CountLimitReached or RetainResult.ByteLimitReached)
        {
            message.Release();
            return await AckAsync(publish, session, MqttReasonCode.QuotaExceeded, durable.Pending, "The server's retained message quota is full.");
        }

        // 5.0 §3.3.4: 0x10 when the publish reached no subscriber, unless a handler answers worse.
        var code = _broker.Route(message, ref durable) == 0 ? MqttReasonCode.NoMatchingSubscribers : MqttReasonCode.Success;
        return await AcknowledgeInOrderAsync(publish.PacketId, qos, session, RunUplinkHandlersAsync(message, principal, code, durable.Pending, cancellationToken));
    }

    /// <summary>
    /// The topic as a string, reusing the previous one when the bytes repeat: a terminal or sensor publishes on the
    /// same topic all day, so the steady state allocates neither the string nor its UTF-8 copy.
    /// </summary>
    private string TopicString(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.Length == _lastTopicUtf8.Length && (bytes.IsSingleSegment ? bytes.FirstSpan.SequenceEqual(_lastTopicUtf8) : SequenceEquals(bytes, _lastTopicUtf8)))
            return _lastTopic;
        _lastTopicUtf8 = bytes.ToArray();
        _lastTopic = Encoding.UTF8.GetString(_lastTopicUtf8);
        return _lastTopic;

        static bool SequenceEquals(in ReadOnlySequence<byte> sequence, byte[] other)
        {
            var offset = 0;
            foreach (var segment in sequence)
            {
                if (!segment.Span.SequenceEqual(other.AsSpan(offset, segment.Length))) return false;
                offset += segment.Length;
            }
            return true;
        }
    }

    private static bool IsUtf8(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment) return System.Text.Unicode.Utf8.IsValid(payload.FirstSpan);
        // Rare (a payload split across pipe segments): validate a contiguous copy rather than track split sequences.
        return System.Text.Unicode.Utf8.IsValid(payload.ToArray());
    }

    private byte[] TopicUtf8(string topic) => ReferenceEquals(topic, _lastTopic) ? _lastTopicUtf8 : Encoding.UTF8.GetBytes(topic);

    private async ValueTask<bool> DurableAsync(Task writes)
    {
        try
        {
            await writes;
            return true;
        }
        catch (Exception ex)
        {
            EdgeLog.NotDurable(_broker.Logger, ex, ClientId!);
            return false;
        }
    }

    private MqttReasonCode? ResolveTopic(in PublishPacket publish, out string topic)
    {
        // 5.0 §3.3.2.3.4: alias 1..our maximum; a topic with an alias (re)binds it, an empty topic uses it.
        if (publish.TopicAlias == 0)
        {
            topic = publish.Topic.IsEmpty ? "" : TopicString(publish.Topic);
            return publish.Topic.IsEmpty ? MqttReasonCode.ProtocolError : null;
        }

        topic = "";
        if (publish.TopicAlias > _options.TopicAliasMaximum) return MqttReasonCode.TopicAliasInvalid;
        _aliases ??= new string?[_options.TopicAliasMaximum + 1];
        if (publish.Topic.IsEmpty)
        {
            if (_aliases[publish.TopicAlias] is not { } bound) return MqttReasonCode.ProtocolError;
            topic = bound;
            return null;
        }

        topic = TopicString(publish.Topic);
        _aliases[publish.TopicAlias] = topic;
        return null;
    }

    /// <summary>
    /// An ack decided without the handlers; still in arrival order behind any pending ones (§4.6), and after
    /// <paramref name="writes"/> (a QoS 2 packet id being stored) are durable.
    /// </summary>
    private ValueTask<CloseKind?> AckAsync(in PublishPacket publish, MqttSession session, MqttReasonCode code, Task? writes = null, string? reason = null) =>
        AcknowledgeInOrderAsync(publish.PacketId, publish.QoS, session, writes is null ? new(new UplinkOutcome(code, Reason: reason)) : DurableOutcomeAsync(code, writes, reason));

    private void Acknowledge(ushort packetId, MqttPacketType type, MqttSession session, MqttReasonCode code, string? reason = null)
    {
        var wire = V5 ? code : MqttReasonCode.Success;
        // A failure PUBREC ends the flow (5.0 §4.3.3), so the id is free again.
        if (type == MqttPacketType.PubRec && (byte)wire >= 0x80) session.ReleaseInboundQos2(packetId);
        Send(new AckPacket(type, packetId, wire) { ReasonString = (byte)wire >= 0x80 ? AckReason(reason) : null });
    }

    /// <summary>
    /// A Reason String for a failure ack (5.0 §3.4.2.2.2, §3.9.2.1.2): only when the client did not turn Request Problem
    /// Information off (§3.1.2.11.7) and it keeps the packet within the client's Maximum Packet Size [MQTT-3.4.2-2].
    /// </summary>
    private string? AckReason(string? reason) =>
        reason is null || !V5 || !_problemInformation || !FitsClientMaximum(reason) ? null : reason;

    private async ValueTask<CloseKind?> HandleSubscribeAsync(SubscribePacket subscribe, MqttSession session)
    {
        var subscriptionId = subscribe.Properties?.SubscriptionIdentifier ?? 0;
        var durable = default(DurableWrites);
        var codes = new List<MqttReasonCode>(subscribe.Subscriptions.Count);
        List<(string Filter, MqttQualityOfService QoS)>? retained = null;
        foreach (var (filter, o) in subscribe.Subscriptions)
        {
            if (!TopicValidator.ValidateTopicFilter(filter, allowShared: true, _options.MaxTopicLevels).IsValid)
            {
                codes.Add(MqttReasonCode.TopicFilterInvalid);
                continue;
            }

            var shared = TopicValidator.IsSharedFilter(filter);
            ReadOnlySpan<char> inner = filter;
            if (shared) TopicValidator.SplitShared(filter, out _, out inner);
            if (!_broker.Authorizer.CanSubscribe(_principal!, inner))
            {
                if (_broker.BadInputLog.ShouldLog()) EdgeLog.Denied(_broker.Logger, ClientId!, _principal!.Name, "subscribe to", filter);
                codes.Add(MqttReasonCode.NotAuthorized);
                continue;
            }

            var qos = o.QoS > MqttQualityOfService.ExactlyOnce ? MqttQualityOfService.ExactlyOnce : o.QoS;
            var options = new SubscriptionOptions(qos, o.NoLocal, o.RetainAsPublished, o.RetainHandling, (int)subscriptionId);
            var result = _broker.Tree.Subscribe(ClientId!, filter, options);
            switch (result)
            {
                case SubscribeResult.Created:
                case SubscribeResult.Replaced:
                    _broker.Subscribed(session, filter, options, ref durable);
                    codes.Add((MqttReasonCode)qos);
                    // 5.0 §3.3.1.3 / §4.8.2: retained messages are not sent for a shared subscription.
                    if (!shared && (o.RetainHandling == MqttRetainHandling.SendAtSubscribe || (o.RetainHandling == MqttRetainHandling.SendAtSubscribeIfNew && result == SubscribeResult.Created)))
                    {
                        (retained ??= []).Add((filter, qos));
                    }

                    break;
                case SubscribeResult.NoLocalOnSharedSubscription:
                    return ProtocolViolation(MqttReasonCode.ProtocolError, "No Local on a shared subscription [MQTT-3.8.3-4].");
                case SubscribeResult.InvalidSubscriptionIdentifier:
                    return ProtocolViolation(MqttReasonCode.ProtocolError, "Subscription Identifier out of range.");
                case SubscribeResult.TooManyLevels:
                    codes.Add(MqttReasonCode.QuotaExceeded);
                    break;
                default:
                    codes.Add(MqttReasonCode.TopicFilterInvalid);
                    break;
            }
        }

        // SUBACK once a persistent session's subscriptions are durable; a failed write refuses them (5.0 §3.9.3).
        if (durable.Pending is { } writes && !await DurableAsync(writes))
        {
            for (var i = 0; i < codes.Count; i++)
            {
                if ((byte)codes[i] < 0x80) codes[i] = MqttReasonCode.UnspecifiedError; // 0x80 is also 3.1.1's failure
            }

            retained = null;
        }

        Send(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = codes, Properties = SubAckReason(subscribe, codes) });
        if (retained is not null)
        {
            foreach (var (filter, qos) in retained) _broker.DeliverRetained(session, filter, qos, subscriptionId);
        }

        return null;
    }

    /// <summary>One Reason String for a SUBACK that refused filters, naming them (5.0 §3.9.2.1.2).</summary>
    private MqttProperties? SubAckReason(SubscribePacket subscribe, List<MqttReasonCode> codes)
    {
        List<string>? refused = null;
        for (var i = 0; i < codes.Count; i++)
        {
            if ((byte)codes[i] >= 0x80) (refused ??= []).Add($"{subscribe.Subscriptions[i].TopicFilter} ({DescribeRefusal(codes[i])})");
        }

        return refused is null || AckReason($"Refused: {string.Join("; ", refused)}.") is not { } reason ? null : new MqttProperties { ReasonString = reason };

        static string DescribeRefusal(MqttReasonCode code) => code switch
        {
            MqttReasonCode.NotAuthorized => "not authorised",
            MqttReasonCode.TopicFilterInvalid => "invalid topic filter",
            MqttReasonCode.QuotaExceeded => "too many topic levels",
            _ => "not stored",
        };
    }

    private void HandleUnsubscribe(UnsubscribePacket unsubscribe, MqttSession session)
    {
        var codes = new List<MqttReasonCode>(unsubscribe.TopicFilters.Count);
        foreach (var filter in unsubscribe.TopicFilters)
        {
            var valid = TopicValidator.ValidateTopicFilter(filter).IsValid;
            var removed = valid && _broker.Tree.Unsubscribe(ClientId!, filter);
            if (removed) _broker.Unsubscribed(session, filter);
            codes.Add(!valid ? MqttReasonCode.TopicFilterInvalid : removed ? MqttReasonCode.Success : MqttReasonCode.NoSubscriptionExisted);
        }

        Send(new UnsubAckPacket { PacketId = unsubscribe.PacketId, ReasonCodes = codes });
    }

    private CloseKind HandleDisconnect(DisconnectPacket disconnect, MqttSession session)
    {
        if (disconnect.Properties?.SessionExpiryInterval is { } expiry)
        {
            // [MQTT-3.14.2-2]: a session that was to end with the connection cannot be made persistent now.
            if (session.ExpirySeconds == 0 && expiry != 0) return ProtocolViolation(MqttReasonCode.ProtocolError, "Session Expiry set on DISCONNECT after 0.");
            session.ExpirySeconds = Math.Min(expiry, _options.MaxSessionExpirySeconds);
        }

        return disconnect.ReasonCode == MqttReasonCode.DisconnectWithWillMessage ? CloseKind.NormalWithWill : CloseKind.Normal;
    }

    private TimeSpan KeepAliveLimit => TimeSpan.FromSeconds(_keepAliveSeconds * 1.5);

    private void OnTimer()
    {
        if (_session is null)
        {
            EdgeLog.ConnectTimeout(_broker.Logger, Remote, _options.ConnectTimeout);
            RequestClose(null);
            return;
        }

        if (_keepAliveSeconds == 0) return;
        // 3.1.1 §3.1.2.10, 5.0 §3.1.2.10: closed when no packet came within 1.5x the keep-alive. The timer is due exactly
        // then, not on a fixed period, which would let a silent client stay up to half a period longer.
        var silent = _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
        if (silent >= KeepAliveLimit)
        {
            EdgeLog.KeepAliveExpired(_broker.Logger, ClientId!, _keepAliveSeconds);
            RequestClose(MqttReasonCode.KeepAliveTimeout);
        }
        else _timer?.Change(KeepAliveLimit - silent, Timeout.InfiniteTimeSpan);
    }

    private void NotifyConnectionLost()
    {
        foreach (var observer in _broker.ConnectionObservers)
        {
            try
            {
                observer.OnConnectionLost(ClientId!, _principal!);
            }
            catch (Exception ex)
            {
                // An observer's bug must not stop the connection's clean-up.
                EdgeLog.LoopFailed(_broker.Logger, ex, ClientId);
            }
        }
    }

    /// <summary>Another connection took this client id over: 5.0 DISCONNECT 0x8E, then close (5.0 §3.1.4).</summary>
    public void TakeOver()
    {
        _takenOver = true;
        RequestClose(MqttReasonCode.SessionTakenOver);
    }

    /// <summary>
    /// The host is stopping: read no further packet. What was read is still handled and acknowledged by the close path,
    /// which then sends a 5.0 client DISCONNECT 0x8B Server shutting down (5.0 §3.14.2.1).
    /// </summary>
    public void Shutdown()
    {
        _shutdown = true;
        _closeRequested = true;
        _transport.Input.CancelPendingRead();
    }

    /// <summary>
    /// A host stop's grace period is over: the uplink handlers still running are cancelled and no longer awaited, so the
    /// close path runs now. Their publishes are not acknowledged; the client sends them again after the restart.
    /// </summary>
    public void AbandonPendingWork()
    {
        Shutdown();
        _closing.Cancel();
    }

    /// <summary>Server-side close from outside the read loop; 5.0 clients get DISCONNECT with <paramref name="reason"/> first.</summary>
    public void RequestClose(MqttReasonCode? reason)
    {
        if (reason is { } code && V5 && _session is not null) Send(new DisconnectPacket { ReasonCode = code });
        _closeRequested = true;
        _transport.Input.CancelPendingRead();
    }
}
