using System.Buffers;
using System.Text;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Sessions;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>Incoming PUBLISH (3.1.1 §3.3, 5.0 §3.3): topic and alias, ACL, routing, uplink handlers, the ack.</summary>
internal sealed partial class MqttConnection
{
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
}
