namespace GridGov.Realtime.Edge.Packets;

/// <summary>A 5.0 User Property: a UTF-8 string pair; may repeat and order is kept (5.0 §3.1.2.11.8).</summary>
public readonly record struct MqttUserProperty(string Name, string Value);

/// <summary>
/// 5.0 properties (5.0 §2.2.2.2) of the rarely sent packets (CONNECT, will, CONNACK, SUBSCRIBE, SUBACK,
/// UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH). A null member means "absent". The hot PUBLISH and
/// PUBACK/PUBREC/PUBREL/PUBCOMP packets carry their properties inline instead (see <see cref="PublishPacket"/>).
/// When encoding, a member that the packet type does not allow is left out.
/// </summary>
public sealed class MqttProperties
{
    public MqttPayloadFormat? PayloadFormatIndicator { get; set; }
    public uint? MessageExpiryInterval { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseTopic { get; set; }
    public byte[]? CorrelationData { get; set; }
    /// <summary>SUBSCRIBE only; occurs at most once there (5.0 §3.8.2.1.2).</summary>
    public uint? SubscriptionIdentifier { get; set; }
    public uint? SessionExpiryInterval { get; set; }
    public string? AssignedClientIdentifier { get; set; }
    public ushort? ServerKeepAlive { get; set; }
    public string? AuthenticationMethod { get; set; }
    public byte[]? AuthenticationData { get; set; }
    public bool? RequestProblemInformation { get; set; }
    public uint? WillDelayInterval { get; set; }
    public bool? RequestResponseInformation { get; set; }
    public string? ResponseInformation { get; set; }
    public string? ServerReference { get; set; }
    public string? ReasonString { get; set; }
    public ushort? ReceiveMaximum { get; set; }
    public ushort? TopicAliasMaximum { get; set; }
    /// <summary>CONNACK only; 0 or 1 (5.0 §3.2.2.3.4).</summary>
    public MqttQualityOfService? MaximumQoS { get; set; }
    public bool? RetainAvailable { get; set; }
    public uint? MaximumPacketSize { get; set; }
    public bool? WildcardSubscriptionAvailable { get; set; }
    public bool? SubscriptionIdentifierAvailable { get; set; }
    public bool? SharedSubscriptionAvailable { get; set; }
    public List<MqttUserProperty>? UserProperties { get; set; }
}
