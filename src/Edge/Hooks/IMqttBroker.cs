using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Hooks;

/// <summary>Publishes into the broker from inside the process (downlink, retained warnings); no network hop, no ACL.</summary>
public interface IEdgePublisher
{
    /// <summary>
    /// Routes a message to the matching subscribers (queued for offline persistent sessions) and, with
    /// <paramref name="retain"/>, stores or (empty payload) clears the topic's retained message.
    /// Returns the number of subscriptions it was delivered or queued to.
    /// </summary>
    ValueTask<int> PublishAsync(
        string topic,
        ReadOnlyMemory<byte> payload,
        MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce,
        bool retain = false,
        MqttPublishOptions? options = null,
        CancellationToken cancellationToken = default);
}

/// <summary>The broker as the rest of the server sees it.</summary>
public interface IMqttBroker : IEdgePublisher
{
    int ConnectedClientCount { get; }
    int SessionCount { get; }
    bool IsConnected(string clientId);

    /// <summary>Closes a client's connection (5.0: DISCONNECT with <paramref name="reason"/>, e.g. 0x98 Administrative action).</summary>
    bool Disconnect(string clientId, MqttReasonCode reason = MqttReasonCode.AdministrativeAction);

    /// <summary>
    /// Closes every live connection authenticated as terminal or sensor <paramref name="deviceId"/>, whatever client id
    /// it chose (a revoked credential); returns how many were closed.
    /// </summary>
    int DisconnectDevice(string deviceId, MqttReasonCode reason = MqttReasonCode.AdministrativeAction);
}

/// <summary>5.0 properties for an in-process publish; ignored for 3.1.1 subscribers.</summary>
public sealed record MqttPublishOptions
{
    public uint? MessageExpiryInterval { get; init; }
    public string? ContentType { get; init; }
    public string? ResponseTopic { get; init; }
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }
    public MqttPayloadFormat? PayloadFormat { get; init; }
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }
}
