using System.Threading.Channels;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Edge.Sessions;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>What the uplink handlers made of one publish: the reason code to ack with, or no ack and close (3.1.1 storage failure).</summary>
/// <summary>What the uplink handlers made of one publish: the reason code to ack with (and, for a failure, a 5.0 Reason
/// String saying why), or no ack and close (3.1.1 storage failure).</summary>
internal readonly record struct UplinkOutcome(MqttReasonCode Code, bool Close = false, string? Reason = null);

/// <summary>
/// Acknowledgements of incoming QoS 1/2 PUBLISHes. The uplink handlers of one connection may run concurrently, up to
/// Receive Maximum of them (a durable append takes a group commit, and waiting for each in turn would cap a terminal
/// at one message per commit), but the acks leave in the order the PUBLISHes arrived: 3.1.1 §4.6 [MQTT-4.6.0-2/3],
/// 5.0 §4.6 [MQTT-4.6.0-2/3]. An ack is sent inline while nothing is pending; otherwise it queues behind the pending
/// ones and the ack pump sends each as its handlers complete.
/// </summary>
internal sealed partial class MqttConnection
{
    // Created with the first ack that has to wait, so the many idle connections of a city's terminals carry none of it.
    private Channel<PendingAck>? _pendingAcks;
    private SemaphoreSlim? _ackSlots;
    private Task? _ackPump;
    private int _pendingAckCount;
    private volatile bool _acksStopped;

    /// <summary>A PUBACK, PUBREC or PUBCOMP waiting for its outcome and for the acks before it.</summary>
    private readonly record struct PendingAck(ushort PacketId, MqttPacketType Type, MqttSession Session, Task<UplinkOutcome> Outcome);

    /// <summary>
    /// Acks now when nothing is queued before it and the outcome is known; else queues it. Returns a close kind when a
    /// 3.1.1 handler failure ends the connection. Waits (back-pressure on the read loop) while the window is full.
    /// </summary>
    private ValueTask<CloseKind?> AcknowledgeInOrderAsync(ushort packetId, MqttQualityOfService qos, MqttSession session, ValueTask<UplinkOutcome> outcome)
    {
        if (qos != MqttQualityOfService.AtMostOnce) return EnqueueAckAsync(packetId, qos == MqttQualityOfService.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec, session, outcome);
        // No ack to order, but a QoS 0 handler still finishes before the connection reads on (bounded work).
        if (outcome.IsCompletedSuccessfully) return new(outcome.Result.Close ? CloseKind.Abnormal : null);
        return AwaitQos0HandlersAsync(outcome);
    }

    /// <summary>Waits for a QoS 0 publish's handlers, unless the connection is closing (a host stop gave up on them).</summary>
    private async ValueTask<CloseKind?> AwaitQos0HandlersAsync(ValueTask<UplinkOutcome> outcome)
    {
        var done = await outcome.AsTask().WaitAsync(_closing.Token);
        return done.Close ? CloseKind.Abnormal : null;
    }

    /// <summary>
    /// PUBCOMP once <paramref name="write"/> (the removal of the id) is durable; if it fails, no PUBCOMP and the
    /// connection closes, so the client sends PUBREL again. Queued behind pending acks like the others.
    /// </summary>
    private ValueTask<CloseKind?> CompleteInOrderAsync(ushort packetId, MqttSession session, MqttReasonCode code, Task? write) =>
        EnqueueAckAsync(packetId, MqttPacketType.PubComp, session, write is null ? new(new UplinkOutcome(code)) : RemovedOutcomeAsync(code, write));

    private async ValueTask<UplinkOutcome> RemovedOutcomeAsync(MqttReasonCode code, Task write) =>
        await DurableAsync(write) ? new UplinkOutcome(code) : new UplinkOutcome(MqttReasonCode.UnspecifiedError, Close: true);

    private async ValueTask<CloseKind?> EnqueueAckAsync(ushort packetId, MqttPacketType type, MqttSession session, ValueTask<UplinkOutcome> outcome)
    {
        if (Volatile.Read(ref _pendingAckCount) == 0 && outcome.IsCompletedSuccessfully)
        {
            var result = outcome.Result;
            if (result.Close)
            {
                Unacknowledged(packetId, type, session);
                return CloseKind.Abnormal;
            }

            Acknowledge(packetId, type, session, result.Code, result.Reason);
            return null;
        }

        if (_acksStopped) return CloseKind.Abnormal;
        if (_ackPump is null)
        {
            _pendingAcks = Channel.CreateUnbounded<PendingAck>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _ackSlots = new SemaphoreSlim(0);
            _ackPump = Task.Run(() => AckPumpAsync(_pendingAcks.Reader, _ackSlots));
        }

        if (Interlocked.Increment(ref _pendingAckCount) > _options.ReceiveMaximum)
        {
            // The window is full: wait until the oldest is acknowledged before taking more from the wire.
            await _ackSlots!.WaitAsync(_closing.Token);
        }

        _pendingAcks!.Writer.TryWrite(new PendingAck(packetId, type, session, outcome.AsTask()));
        return _acksStopped ? CloseKind.Abnormal : null;
    }

    private async Task AckPumpAsync(ChannelReader<PendingAck> reader, SemaphoreSlim slots)
    {
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var pending))
            {
                UplinkOutcome outcome;
                try
                {
                    outcome = await pending.Outcome;
                }
                catch (Exception ex)
                {
                    // Handlers turn their own failures into outcomes; anything else is our bug: no ack, close.
                    EdgeLog.LoopFailed(_broker.Logger, ex, ClientId);
                    outcome = new UplinkOutcome(MqttReasonCode.UnspecifiedError, Close: true);
                }

                if (outcome.Close && !_acksStopped)
                {
                    // No ack for this one and none after it (order): the client resends on its next connection.
                    _acksStopped = true;
                    RequestClose(null);
                }

                if (!_acksStopped) Acknowledge(pending.PacketId, pending.Type, pending.Session, outcome.Code, outcome.Reason);
                else Unacknowledged(pending.PacketId, pending.Type, pending.Session);
                if (Interlocked.Decrement(ref _pendingAckCount) >= _options.ReceiveMaximum) slots.Release();
            }
        }
    }

    /// <summary>
    /// A QoS 2 PUBLISH that gets no PUBREC (a 3.1.1 handler failure closes the connection instead) must not leave its id
    /// awaiting PUBREL: the client resends it, and that resend has to be handled as the new message it is.
    /// </summary>
    private static void Unacknowledged(ushort packetId, MqttPacketType type, MqttSession session)
    {
        if (type == MqttPacketType.PubRec) session.ReleaseInboundQos2(packetId);
    }

    /// <summary>Lets the pump finish what is queued; called once the read loop has ended.</summary>
    private Task StopAckPumpAsync()
    {
        _pendingAcks?.Writer.TryComplete();
        return _ackPump ?? Task.CompletedTask;
    }

    /// <summary>
    /// Runs every uplink handler in turn, then waits for <paramref name="writes"/> (the message stored in the persistent
    /// sessions it went to, and as retained): the ack promises both. Completes synchronously (no allocation) when all do.
    /// </summary>
    private async ValueTask<UplinkOutcome> RunUplinkHandlersAsync(MqttApplicationMessage message, MqttPrincipal principal, MqttReasonCode code, Task? writes, CancellationToken cancellationToken)
    {
        string? reason = null;
        try
        {
            var uplink = new MqttUplinkMessage(ClientId!, principal, message.Topic, message.Payload, message.QoS, message.Retain, message.UserProperties);
            foreach (var handler in _broker.UplinkHandlers)
            {
                try
                {
                    var verdict = await handler.OnPublishAsync(uplink, cancellationToken);
                    if (!verdict.IsAccepted)
                    {
                        _metrics.Dropped(DropReason.RejectedByHandler);
                        if (_broker.BadInputLog.ShouldLog()) EdgeLog.UplinkRejected(_broker.Logger, uplink.ClientId, uplink.Topic, verdict.ReasonCode, verdict.Reason);
                        code = verdict.ReasonCode;
                        reason = verdict.Reason;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    EdgeLog.UplinkFailed(_broker.Logger, ex, uplink.ClientId, uplink.Topic);
                    if (!V5) return new UplinkOutcome(MqttReasonCode.UnspecifiedError, Close: true); // no ack: resent on reconnect
                    code = MqttReasonCode.UnspecifiedError;
                    reason = NotStored; // the exception is logged, not sent: it may carry internals
                }
                catch (OperationCanceledException)
                {
                    // The connection is closing: no ack, the client resends.
                    return new UplinkOutcome(MqttReasonCode.UnspecifiedError, Close: true);
                }
            }
        }
        finally
        {
            // The handlers were the last to read the payload on the publisher's side (IMqttUplinkHandler's contract).
            message.Release();
        }

        return writes is null ? new UplinkOutcome(code, Reason: reason) : await DurableOutcomeAsync(code, writes, reason);
    }

    /// <summary><paramref name="code"/> once <paramref name="writes"/> are durable; when they fail, 0x80 (5.0) or no ack and close (3.1.1).</summary>
    private async ValueTask<UplinkOutcome> DurableOutcomeAsync(MqttReasonCode code, Task writes, string? reason = null)
    {
        if (await DurableAsync(writes)) return new UplinkOutcome(code, Reason: reason);
        return V5 ? new UplinkOutcome(MqttReasonCode.UnspecifiedError, Reason: NotStored) : new UplinkOutcome(MqttReasonCode.UnspecifiedError, Close: true); // 3.1.1: resent on reconnect
    }

    private const string NotStored = "The server could not store the message; send it again later.";
}
