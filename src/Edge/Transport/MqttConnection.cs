using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Threading.Channels;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Edge.Sessions;

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
