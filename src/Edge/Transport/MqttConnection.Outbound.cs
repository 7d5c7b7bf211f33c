using System.Buffers;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Transport;

internal enum OutboundKind : byte
{
    Publish,
    Ack,
    Control,
    PingResp,
}

/// <summary>One packet waiting for the write loop. PUBLISH and acks are carried without allocating.</summary>
internal readonly record struct Outbound(
    OutboundKind Kind,
    AckPacket Ack,
    object? Control,
    MqttApplicationMessage? Message,
    MqttQualityOfService QoS,
    ushort PacketId,
    bool Dup,
    bool Retain,
    uint[]? SubscriptionIds,
    int Size);

internal sealed partial class MqttConnection
{
    private const int FlushThreshold = 64 * 1024;
    private volatile bool _disconnectQueued;

    /// <summary>Queues a PUBLISH; false when dropped by the slow-subscriber policy.</summary>
    public bool SendPublish(MqttApplicationMessage message, MqttQualityOfService qos, ushort packetId, bool dup, bool retain, uint[]? subscriptionIds)
    {
        var size = message.ApproximateSize;
        if (qos == MqttQualityOfService.AtMostOnce && Volatile.Read(ref _queuedBytes) + size > _options.MaxOutboundQueueBytes)
        {
            _metrics.Dropped(DropReason.SlowSubscriber);
            if (Interlocked.Exchange(ref _slowLogged, 1) == 0) EdgeLog.SlowSubscriber(_broker.Logger, ClientId ?? Remote, Volatile.Read(ref _queuedBytes), _options.SlowSubscriberPolicy);
            if (_options.SlowSubscriberPolicy == SlowSubscriberPolicy.Disconnect)
            {
                _closeRequested = true;
                _abort();
            }

            return false;
        }

        Interlocked.Add(ref _queuedBytes, size);
        // The queue holds the message until the write loop has encoded it.
        message.AddReference();
        if (_outbound.Writer.TryWrite(new Outbound(OutboundKind.Publish, default, null, message, qos, packetId, dup, retain, subscriptionIds, size))) return true;
        message.Release();
        Interlocked.Add(ref _queuedBytes, -size);
        return false;
    }

    public void Send(in AckPacket ack) => _outbound.Writer.TryWrite(new Outbound(OutboundKind.Ack, ack, null, null, default, 0, false, false, null, 0));

    public void Send(ConnAckPacket packet) => SendControl(OutboundKind.Control, packet);
    public void Send(SubAckPacket packet) => SendControl(OutboundKind.Control, packet);
    public void Send(UnsubAckPacket packet) => SendControl(OutboundKind.Control, packet);
    public void Send(DisconnectPacket packet)
    {
        // 5.0 §3.14.4: nothing follows a DISCONNECT, so the close path must not send a second one.
        _disconnectQueued = true;
        SendControl(OutboundKind.Control, packet);
    }

    private void SendControl(OutboundKind kind, object? packet) =>
        _outbound.Writer.TryWrite(new Outbound(kind, default, packet, null, default, 0, false, false, null, 0));

    /// <summary>5.0 §3.1.2.11.4: never send a packet larger than the client's Maximum Packet Size.</summary>
    public bool FitsClientMaximum(MqttApplicationMessage message, MqttQualityOfService qos, uint[]? subscriptionIds)
    {
        var max = _clientMaxPacketSize;
        if (max == 0 || message.ApproximateSize + 64 < max && message.UserProperties is null) return true;
        var packet = message.ToPacket(qos, 1, false, false, subscriptionIds, _time.GetUtcNow());
        return MqttEncoder.GetEncodedSize(packet, Version) <= max;
    }

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        var reader = _outbound.Reader;
        var output = _transport.Output;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                var unflushed = 0;
                while (reader.TryRead(out var item))
                {
                    unflushed += Write(item, output);
                    // Encoded into the pipe: the queue's reference is no longer needed.
                    item.Message?.Release();
                    if (item.Size != 0) Interlocked.Add(ref _queuedBytes, -item.Size);
                    if (unflushed >= FlushThreshold)
                    {
                        _metrics.BytesOut(unflushed);
                        unflushed = 0;
                        if ((await output.FlushAsync()).IsCompleted) return;
                    }
                }

                _metrics.BytesOut(unflushed);
                var flush = await output.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled) return;
                Volatile.Write(ref _slowLogged, 0);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException
            or Microsoft.AspNetCore.Connections.ConnectionAbortedException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The transport is gone; the read loop notices and cleans up.
            _closeRequested = true;
            _transport.Input.CancelPendingRead();
        }
    }

    /// <summary>
    /// Releases the messages still queued when the connection ended. Only once the write loop has finished and the queue
    /// is completed, so nothing reads or adds concurrently.
    /// </summary>
    private void ReleaseUnsent()
    {
        while (_outbound.Reader.TryRead(out var item)) item.Message?.Release();
    }

    private int Write(in Outbound item, IBufferWriter<byte> output)
    {
        switch (item.Kind)
        {
            case OutboundKind.Publish:
                var publish = item.Message!.ToPacket(item.QoS, item.PacketId, item.Dup, item.Retain, item.SubscriptionIds, _time.GetUtcNow());
                if (_outboundAliases is { } aliases && (_clientMaxPacketSize == 0 || item.Message.ApproximateSize + 64 < _clientMaxPacketSize))
                {
                    // Binding an alias adds 3 bytes, so a message near the client's Maximum Packet Size goes without one.
                    var alias = aliases.Resolve(item.Message.Topic, out var bound);
                    publish = publish with { TopicAlias = alias, Topic = bound ? ReadOnlySequence<byte>.Empty : publish.Topic };
                }

                _metrics.MessageOut(item.QoS);
                return MqttEncoder.Write(publish, Version, output);
            case OutboundKind.Ack:
                return MqttEncoder.Write(item.Ack, Version, output);
            case OutboundKind.PingResp:
                return MqttEncoder.Write(MqttPacket.PingResp, Version, output);
            default:
                MqttPacket packet = item.Control switch
                {
                    ConnAckPacket p => p,
                    SubAckPacket p => p,
                    UnsubAckPacket p => p,
                    DisconnectPacket p => p,
                    _ => throw new InvalidOperationException("Unknown control packet."),
                };
                return MqttEncoder.Write(packet, Version, output);
        }
    }
}
