using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Topics;

/// <summary>
/// The per-subscription options of 5.0 §3.8.3.1 plus the Subscription Identifier property (5.0 §3.8.2.1.2).
/// For 3.1.1 clients only <see cref="Qos"/> is meaningful; the rest stay at their defaults.
/// </summary>
/// <param name="Qos">Maximum QoS granted for this subscription.</param>
/// <param name="NoLocal">Do not forward messages published by this same client (must be false on shared subscriptions, [MQTT-3.8.3-4]).</param>
/// <param name="RetainAsPublished">Keep the RETAIN flag of forwarded messages as published.</param>
/// <param name="RetainHandling">When retained messages are sent at subscribe time.</param>
/// <param name="SubscriptionIdentifier">1..268,435,455, or 0 for "none".</param>
public readonly record struct SubscriptionOptions(
    MqttQualityOfService Qos = MqttQualityOfService.AtMostOnce,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    MqttRetainHandling RetainHandling = MqttRetainHandling.SendAtSubscribe,
    int SubscriptionIdentifier = 0)
{
    /// <summary>Largest value a Variable Byte Integer can carry (5.0 §1.5.5), hence the largest Subscription Identifier.</summary>
    public const int MaxSubscriptionIdentifier = 268_435_455;
}
