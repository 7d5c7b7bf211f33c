using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.LoadGen;

/// <summary>The broker refused or broke the connection; the message carries its reason code.</summary>
public sealed class BrokerRefusedException(string message) : Exception(message);

/// <summary>
/// One MQTT client connection on a raw socket. One receive loop per connection decodes with the Edge codec
/// (<see cref="MqttDecoder"/>), with a fast path for the 4-byte PUBACK. Writes are batched: every PUBACK owed for one
/// receive is sent in one write, and in ack-clocked publishing the PUBACKs of one receive release that many new
/// PUBLISHes, again in one write. PUBLISHes are copies of a pre-encoded template (<see cref="MqttEncoder"/>) patched
/// with packet id and timestamp, so the steady state allocates nothing.
/// </summary>
public sealed class MqttConnection
{
    private static readonly byte[] PingReqBytes = [0xC0, 0x00];
    private static readonly byte[] DisconnectBytes = [0xE0, 0x00];

    private readonly RunState _run;
    private readonly MqttProtocolVersion _version;
    private readonly Histogram _e2e;
    private readonly Histogram _ackHist;
    private Socket? _socket;
    private byte[] _rx;
    private int _rxStart;
    private int _rxEnd;
    private byte[] _ackTx = new byte[64];

    // Publishing state (publisher or terminal).
    private PublishTemplate? _template;
    private Terminal? _terminal;
    private byte[] _tx = [];
    private int _window;
    private int _qos;
    private long _seq;
    private long[] _sendTs = [];
    private int _ringMask;
    private int _pidModulo;
    private int _inFlight;
    private readonly AsyncSignal _windowOpened = new();   // the send loop waits on it when its window is full

    // Counters: each has a single writer (the receive loop, or the send loop for Published).
    public long Published;
    public long Acked;
    public long Delivered;

    public MqttConnection(RunState run, int index, MqttProtocolVersion version, int receiveBuffer)
    {
        _run = run;
        Index = index;
        _version = version;
        _rx = new byte[receiveBuffer];
        _e2e = run.EndToEndFor(index);
        _ackHist = run.AckFor(index);
    }

    public int Index { get; }
    public long LastSendTicks { get; private set; }
    public bool Closed { get; private set; }

    /// <summary>CONNACK (and SUBACK) received: from now on the keep-alive pinger may send PINGREQ.</summary>
    public bool Ready { get; set; }
    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task ConnectAsync(IPEndPoint broker, IPAddress? source, ConnectPacket connect, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        if (source is not null)
        {
            // IP_BIND_ADDRESS_NO_PORT (24): pick the port at connect, per 4-tuple, not at bind.
            socket.SetRawSocketOption(0, 24, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(source, 0));
        }

        await socket.ConnectAsync(broker, ct).ConfigureAwait(false);
        var writer = new ArrayBufferWriter<byte>(256);
        MqttEncoder.Write(connect, _version, writer);
        await SendAsync(writer.WrittenMemory).ConfigureAwait(false);
        var reply = await ReadControlPacketAsync(ct).ConfigureAwait(false);
        if (reply.Type != MqttPacketType.ConnAck)
        {
            throw new BrokerRefusedException($"expected CONNACK, got {reply.Type}");
        }

        var ack = reply.ConnAck;
        if (ack.ReasonCode != MqttReasonCode.Success)
        {
            var text = ack.Properties?.ReasonString is { } s ? $" \"{s}\"" : "";
            throw new BrokerRefusedException($"CONNACK refused: 0x{(byte)ack.ReasonCode:X2} {ack.ReasonCode}{text}");
        }
    }

    public async Task SubscribeAsync(string filter, int qos, CancellationToken ct)
    {
        var sub = new SubscribePacket { PacketId = 1 };
        sub.Subscriptions.Add(new MqttSubscription(filter, new MqttSubscriptionOptions((MqttQualityOfService)qos)));
        var writer = new ArrayBufferWriter<byte>(128);
        MqttEncoder.Write(sub, _version, writer);
        await SendAsync(writer.WrittenMemory).ConfigureAwait(false);
        var reply = await ReadControlPacketAsync(ct).ConfigureAwait(false);
        if (reply.Type != MqttPacketType.SubAck)
        {
            throw new BrokerRefusedException($"expected SUBACK, got {reply.Type}");
        }

        var code = reply.SubAck.ReasonCodes.Count > 0 ? reply.SubAck.ReasonCodes[0] : MqttReasonCode.UnspecifiedError;
        if ((byte)code >= 0x80)
        {
            throw new BrokerRefusedException($"SUBACK refused '{filter}': 0x{(byte)code:X2} {code}");
        }
    }

    /// <summary>Reads one non-PUBLISH packet during the handshake (the broker sends nothing else before it).</summary>
    private async Task<MqttPacket> ReadControlPacketAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_rxEnd > _rxStart)
            {
                var seq = new ReadOnlySequence<byte>(_rx, _rxStart, _rxEnd - _rxStart);
                var r = MqttDecoder.TryRead(seq, _version, 0, out var consumed, out _, out var packet);
                if (r.Status == DecodeStatus.Error)
                {
                    throw new BrokerRefusedException($"undecodable reply: {r}");
                }

                if (r.Status == DecodeStatus.Packet)
                {
                    _rxStart += (int)seq.Slice(seq.Start, consumed).Length;
                    if (packet.Type == MqttPacketType.Disconnect)
                    {
                        var d = packet.Disconnect;
                        throw new BrokerRefusedException($"DISCONNECT 0x{(byte)d.ReasonCode:X2} {d.ReasonCode}");
                    }

                    return packet;
                }
            }

            MakeRoom();
            var n = await _socket!.ReceiveAsync(_rx.AsMemory(_rxEnd), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                throw new BrokerRefusedException("connection closed by the broker during the handshake");
            }

            _rxEnd += n;
        }
    }

    // ------------------------------------------------------------------ publishing set-up

    /// <summary>Prepares fixed-payload publishing on <paramref name="topic"/>.</summary>
    public void SetupPublisher(string topic, int qos, int payloadSize, int window, bool timestamp)
    {
        _template = PublishTemplate.Create(topic, qos, payloadSize, _version, timestamp);
        SetupWindow(qos, window, _template.Length);
    }

    public void SetupTerminal(Terminal terminal, int window)
    {
        _terminal = terminal;
        SetupWindow(1, window, Terminal.MaxPacketSize);
        var sample = new byte[Terminal.MaxPacketSize];
        var length = terminal.WriteTo(sample, 0x1234, _version);
        PublishTemplate.SelfCheck(sample[..length], _version, terminal.Topic, 0x1234, -1, null);
    }

    private void SetupWindow(int qos, int window, int packetSize)
    {
        _qos = qos;
        _window = window;
        _tx = GC.AllocateUninitializedArray<byte>(Math.Max(window, 1) * packetSize, pinned: true);
        var ring = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)window);
        _ringMask = ring - 1;
        _sendTs = new long[ring];
        _pidModulo = 65535 / ring * ring;     // a multiple of the ring, so pid -> slot is consistent across wraps
    }

    /// <summary>Writes up to <paramref name="count"/> PUBLISHes into the send buffer; returns the byte count.</summary>
    private int Fill(int count)
    {
        var now = Stopwatch.GetTimestamp();
        var tx = _tx.AsSpan();
        var pos = 0;
        for (var k = 0; k < count; k++)
        {
            ushort pid = 0;
            if (_qos > 0)
            {
                var seq = _seq++;
                pid = (ushort)(seq % _pidModulo + 1);
                _sendTs[seq & _ringMask] = now;
            }

            pos += _template is { } t ? t.WriteTo(tx[pos..], pid, now) : _terminal!.WriteTo(tx[pos..], pid, _version);
        }

        Published += count;
        _run.AddPublished(count);
        if (_qos > 0)
        {
            Interlocked.Add(ref _inFlight, count);
        }

        return pos;
    }

    // ------------------------------------------------------------------ loops

    /// <summary>
    /// The receive loop. With <paramref name="ackClocked"/> it also publishes: <c>window</c> PUBLISHes up front, then
    /// as many as the PUBACKs of each receive released, until <see cref="RunState.StopPublishing"/>.
    /// </summary>
    public async Task ReceiveLoopAsync(bool ackClocked)
    {
        try
        {
            if (ackClocked)
            {
                await SendAsync(_tx.AsMemory(0, Fill(_window))).ConfigureAwait(false);
            }

            while (true)
            {
                MakeRoom();
                var n = await _socket!.ReceiveAsync(_rx.AsMemory(_rxEnd), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    OnClosed("connection closed by the broker");
                    return;
                }

                _rxEnd += n;
                var ackBytes = Process();
                _windowOpened.Release();
                if (ackBytes > 0)
                {
                    await SendAsync(_ackTx.AsMemory(0, ackBytes)).ConfigureAwait(false);
                }

                if (ackClocked && _run.BacklogFull)
                {
                    await _run.WaitForBacklogAsync().ConfigureAwait(false);
                }

                if (ackClocked && !_run.StopPublishing)
                {
                    var free = _window - Volatile.Read(ref _inFlight);
                    if (free > 0)
                    {
                        await SendAsync(_tx.AsMemory(0, Fill(free))).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or BrokerRefusedException)
        {
            OnClosed(e.Message);
        }
    }

    /// <summary>
    /// Publishing driven by time (a rate) or by socket back-pressure (QoS 0 unlimited): batches of up to
    /// <c>window</c> PUBLISHes; at QoS 1 never more than <c>window</c> unacknowledged.
    /// </summary>
    public async Task SendLoopAsync(double rate, int initialDelayMs)
    {
        try
        {
            if (initialDelayMs > 0)
            {
                await Task.Delay(initialDelayMs).ConfigureAwait(false);
            }

            var start = Stopwatch.GetTimestamp();
            long sent = 0;
            while (!_run.StopPublishing && !Closed)
            {
                var n = _window;
                if (rate > 0)
                {
                    var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1 - sent;
                    if (due <= 0)
                    {
                        var waitMs = (int)Math.Ceiling((sent - Stopwatch.GetElapsedTime(start).TotalSeconds * rate) / rate * 1000);
                        await Task.Delay(Math.Clamp(waitMs, 1, 1000)).ConfigureAwait(false);
                        continue;
                    }

                    n = (int)Math.Min(n, due);
                }

                if (_run.BacklogFull)
                {
                    await _run.WaitForBacklogAsync().ConfigureAwait(false);
                    continue;
                }

                if (_qos > 0)
                {
                    var free = _window - Volatile.Read(ref _inFlight);
                    if (free <= 0)
                    {
                        // Woken by the receive loop's next PUBACKs (or by a close), then the loop re-checks.
                        var opened = _windowOpened.WaitAsync();
                        if (_window - Volatile.Read(ref _inFlight) <= 0 && !Closed && !_run.StopPublishing)
                        {
                            await opened.ConfigureAwait(false);
                        }

                        continue;
                    }

                    n = Math.Min(n, free);
                }

                sent += n;
                await SendAsync(_tx.AsMemory(0, Fill(n))).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            OnClosed(e.Message);
        }
    }

    /// <summary>Decodes everything complete in the receive buffer; returns the bytes of PUBACKs owed.</summary>
    private int Process()
    {
        var now = Stopwatch.GetTimestamp();
        var recording = _run.Recording;
        var rx = _rx;
        var pos = _rxStart;
        var end = _rxEnd;
        var ackBytes = 0;
        var delivered = Delivered;
        while (end - pos >= 2)
        {
            // Fast path: 3.1.1 PUBACK, or 5.0 PUBACK with reason Success and no properties.
            if (rx[pos] == 0x40 && rx[pos + 1] == 2)
            {
                if (end - pos < 4)
                {
                    break;
                }

                OnPubAck(BinaryPrimitives.ReadUInt16BigEndian(rx.AsSpan(pos + 2)), now, recording);
                pos += 4;
                continue;
            }

            var seq = new ReadOnlySequence<byte>(rx, pos, end - pos);
            var r = MqttDecoder.TryRead(seq, _version, 0, out var consumed, out _, out var packet);
            if (r.Status == DecodeStatus.NeedMoreData)
            {
                break;
            }

            if (r.Status == DecodeStatus.Error)
            {
                throw new BrokerRefusedException($"undecodable packet from the broker: {r}");
            }

            switch (packet.Type)
            {
                case MqttPacketType.Publish:
                    ref readonly var p = ref packet.Publish;
                    Delivered++;
                    if (recording && _run.LatencyInPayload && p.Payload.Length >= 8)
                    {
                        _e2e.Record(now - ReadTimestamp(p.Payload));
                    }

                    if (p.QoS == MqttQualityOfService.AtLeastOnce)
                    {
                        if (ackBytes + 4 > _ackTx.Length)
                        {
                            Array.Resize(ref _ackTx, _ackTx.Length * 2);
                        }

                        _ackTx[ackBytes] = 0x40;
                        _ackTx[ackBytes + 1] = 2;
                        BinaryPrimitives.WriteUInt16BigEndian(_ackTx.AsSpan(ackBytes + 2), p.PacketId);
                        ackBytes += 4;
                    }

                    break;
                case MqttPacketType.PubAck:
                    var ack = packet.Ack;
                    if ((byte)ack.ReasonCode >= 0x80)
                    {
                        throw new BrokerRefusedException($"PUBACK refused: 0x{(byte)ack.ReasonCode:X2} {ack.ReasonCode}");
                    }

                    OnPubAck(ack.PacketId, now, recording);
                    break;
                case MqttPacketType.Disconnect:
                    var d = packet.Disconnect;
                    throw new BrokerRefusedException($"DISCONNECT from the broker: 0x{(byte)d.ReasonCode:X2} {d.ReasonCode}");
                default:
                    break;   // PINGRESP, SUBACK, ...
            }

            pos += (int)seq.Slice(seq.Start, consumed).Length;
        }

        if (Delivered != delivered)
        {
            _run.AddDelivered(Delivered - delivered);
        }

        if (pos == end)
        {
            _rxStart = _rxEnd = 0;
        }
        else
        {
            _rxStart = pos;
        }

        return ackBytes;
    }

    private static long ReadTimestamp(in ReadOnlySequence<byte> payload)
    {
        if (payload.FirstSpan.Length >= 8)
        {
            return BinaryPrimitives.ReadInt64LittleEndian(payload.FirstSpan);
        }

        Span<byte> ts = stackalloc byte[8];
        payload.Slice(0, 8).CopyTo(ts);
        return BinaryPrimitives.ReadInt64LittleEndian(ts);
    }

    private void OnPubAck(ushort pid, long now, bool recording)
    {
        Acked++;
        Interlocked.Decrement(ref _inFlight);
        if (recording)
        {
            _ackHist.Record(now - _sendTs[(pid - 1) & _ringMask]);
        }
    }

    private void MakeRoom()
    {
        if (_rxEnd < _rx.Length)
        {
            return;
        }

        if (_rxStart > 0)
        {
            Buffer.BlockCopy(_rx, _rxStart, _rx, 0, _rxEnd - _rxStart);
            _rxEnd -= _rxStart;
            _rxStart = 0;
        }
        else
        {
            Array.Resize(ref _rx, _rx.Length * 2);
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        LastSendTicks = Environment.TickCount64;
        while (data.Length > 0)
        {
            var n = await _socket!.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[n..];
        }
    }

    /// <summary>PINGREQ if nothing was sent for half the keep-alive. A 2-byte static buffer, so it may overlap another send.</summary>
    public void PingIfIdle(long nowTicks, long idleMs)
    {
        if (!Ready || Closed || nowTicks - LastSendTicks < idleMs)
        {
            return;
        }

        LastSendTicks = nowTicks;
        _ = PingAsync();
    }

    private async Task PingAsync()
    {
        try
        {
            await _socket!.SendAsync(PingReqBytes, SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            OnClosed(e.Message);
        }
    }

    private void OnClosed(string reason)
    {
        if (Closed)
        {
            return;
        }

        Closed = true;
        _windowOpened.Release();
        if (!_run.ShuttingDown)
        {
            _run.ReportLost($"connection {Index}: {reason}");
        }
    }

    public void Close()
    {
        var socket = _socket;
        if (socket is null)
        {
            return;
        }

        try
        {
            if (!Closed)
            {
                socket.Send(DisconnectBytes, SocketFlags.None);
            }

            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        Closed = true;
        _windowOpened.Release();
        socket.Dispose();
    }
}

/// <summary>A PUBLISH encoded once by <see cref="MqttEncoder"/>; copies are patched with packet id and timestamp.</summary>
public sealed class PublishTemplate
{
    private readonly byte[] _bytes;
    private readonly int _pidOffset;
    private readonly int _tsOffset;

    private PublishTemplate(byte[] bytes, int pidOffset, int tsOffset)
    {
        _bytes = bytes;
        _pidOffset = pidOffset;
        _tsOffset = tsOffset;
    }

    public int Length => _bytes.Length;

    public static PublishTemplate Create(string topic, int qos, int payloadSize, MqttProtocolVersion version, bool timestamp)
    {
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        var payload = new byte[payloadSize];
        payload.AsSpan().Fill((byte)'x');
        var packet = new PublishPacket
        {
            QoS = (MqttQualityOfService)qos,
            PacketId = (ushort)(qos > 0 ? 1 : 0),
            Topic = new ReadOnlySequence<byte>(topicBytes),
            Payload = new ReadOnlySequence<byte>(payload),
        };
        var writer = new ArrayBufferWriter<byte>(payloadSize + topicBytes.Length + 16);
        MqttEncoder.Write(packet, version, writer);
        var bytes = writer.WrittenSpan.ToArray();

        var header = 1;
        while ((bytes[header] & 0x80) != 0)
        {
            header++;
        }

        header++;
        var pidOffset = qos > 0 ? header + 2 + topicBytes.Length : -1;
        var tsOffset = timestamp && payloadSize >= 8 ? bytes.Length - payloadSize : -1;
        var template = new PublishTemplate(bytes, pidOffset, tsOffset);
        var sample = new byte[bytes.Length];
        template.WriteTo(sample, 0x1234, 0x0102030405060708);
        SelfCheck(sample, version, topic, (ushort)(qos > 0 ? 0x1234 : 0), payloadSize, tsOffset >= 0 ? 0x0102030405060708 : null);
        return template;
    }

    /// <summary>Decodes a patched packet with the Edge decoder: a wrong offset fails here, not as a bogus measurement.</summary>
    public static void SelfCheck(byte[] packet, MqttProtocolVersion version, string topic, ushort pid, int payloadSize, long? timestamp)
    {
        var seq = new ReadOnlySequence<byte>(packet);
        var r = MqttDecoder.TryRead(seq, version, 0, out var consumed, out _, out var decoded);
        if (r.Status != DecodeStatus.Packet || decoded.Type != MqttPacketType.Publish || seq.Slice(seq.Start, consumed).Length != packet.Length)
        {
            throw new InvalidOperationException($"self-check: encoded PUBLISH does not decode: {r}");
        }

        ref readonly var p = ref decoded.Publish;
        var payload = p.Payload.ToArray();
        if (p.GetTopicString() != topic || p.PacketId != pid || (payloadSize >= 0 && payload.Length != payloadSize)
            || (timestamp is { } ts && BinaryPrimitives.ReadInt64LittleEndian(payload) != ts))
        {
            throw new InvalidOperationException("self-check: encoded PUBLISH decodes to different fields");
        }
    }

    public int WriteTo(Span<byte> into, ushort pid, long timestamp)
    {
        _bytes.CopyTo(into);
        if (_pidOffset >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(into[_pidOffset..], pid);
        }

        if (_tsOffset >= 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(into[_tsOffset..], timestamp);
        }

        return _bytes.Length;
    }
}
