using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Sessions;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>SUBSCRIBE and UNSUBSCRIBE (3.1.1 §3.8/§3.10, 5.0 §3.8/§3.10).</summary>
internal sealed partial class MqttConnection
{
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
}
