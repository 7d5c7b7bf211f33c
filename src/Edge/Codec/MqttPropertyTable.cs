using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Codec;

/// <summary>Wire data type of a 5.0 property value (5.0 §2.2.2.2, table 2-4).</summary>
internal enum PropertyKind : byte
{
    Invalid = 0,
    Byte,
    TwoByteInt,
    FourByteInt,
    VarInt,
    Utf8String,
    Binary,
    StringPair,
}

/// <summary>5.0 §2.2.2.2 table 2-4: each property's type and the packets it may appear in.</summary>
internal static class MqttPropertyTable
{
    /// <summary>Context index for will properties (5.0 §3.1.3.2); packet types use their own value 1..15.</summary>
    public const int WillContext = 0;

    public const int MaxId = 0x2A;

    private static readonly PropertyKind[] Kinds = new PropertyKind[MaxId + 1];
    private static readonly ushort[] Contexts = new ushort[MaxId + 1];

    static MqttPropertyTable()
    {
        const int Will = 1 << WillContext;
        const int Connect = 1 << (int)MqttPacketType.Connect;
        const int ConnAck = 1 << (int)MqttPacketType.ConnAck;
        const int Publish = 1 << (int)MqttPacketType.Publish;
        const int PubAcks = (1 << (int)MqttPacketType.PubAck) | (1 << (int)MqttPacketType.PubRec) | (1 << (int)MqttPacketType.PubRel) | (1 << (int)MqttPacketType.PubComp);
        const int Subscribe = 1 << (int)MqttPacketType.Subscribe;
        const int SubAck = 1 << (int)MqttPacketType.SubAck;
        const int Unsubscribe = 1 << (int)MqttPacketType.Unsubscribe;
        const int UnsubAck = 1 << (int)MqttPacketType.UnsubAck;
        const int Disconnect = 1 << (int)MqttPacketType.Disconnect;
        const int Auth = 1 << (int)MqttPacketType.Auth;

        Set(MqttPropertyId.PayloadFormatIndicator, PropertyKind.Byte, Publish | Will);
        Set(MqttPropertyId.MessageExpiryInterval, PropertyKind.FourByteInt, Publish | Will);
        Set(MqttPropertyId.ContentType, PropertyKind.Utf8String, Publish | Will);
        Set(MqttPropertyId.ResponseTopic, PropertyKind.Utf8String, Publish | Will);
        Set(MqttPropertyId.CorrelationData, PropertyKind.Binary, Publish | Will);
        Set(MqttPropertyId.SubscriptionIdentifier, PropertyKind.VarInt, Publish | Subscribe);
        Set(MqttPropertyId.SessionExpiryInterval, PropertyKind.FourByteInt, Connect | ConnAck | Disconnect);
        Set(MqttPropertyId.AssignedClientIdentifier, PropertyKind.Utf8String, ConnAck);
        Set(MqttPropertyId.ServerKeepAlive, PropertyKind.TwoByteInt, ConnAck);
        Set(MqttPropertyId.AuthenticationMethod, PropertyKind.Utf8String, Connect | ConnAck | Auth);
        Set(MqttPropertyId.AuthenticationData, PropertyKind.Binary, Connect | ConnAck | Auth);
        Set(MqttPropertyId.RequestProblemInformation, PropertyKind.Byte, Connect);
        Set(MqttPropertyId.WillDelayInterval, PropertyKind.FourByteInt, Will);
        Set(MqttPropertyId.RequestResponseInformation, PropertyKind.Byte, Connect);
        Set(MqttPropertyId.ResponseInformation, PropertyKind.Utf8String, ConnAck);
        Set(MqttPropertyId.ServerReference, PropertyKind.Utf8String, ConnAck | Disconnect);
        Set(MqttPropertyId.ReasonString, PropertyKind.Utf8String, ConnAck | PubAcks | SubAck | UnsubAck | Disconnect | Auth);
        Set(MqttPropertyId.ReceiveMaximum, PropertyKind.TwoByteInt, Connect | ConnAck);
        Set(MqttPropertyId.TopicAliasMaximum, PropertyKind.TwoByteInt, Connect | ConnAck);
        Set(MqttPropertyId.TopicAlias, PropertyKind.TwoByteInt, Publish);
        Set(MqttPropertyId.MaximumQoS, PropertyKind.Byte, ConnAck);
        Set(MqttPropertyId.RetainAvailable, PropertyKind.Byte, ConnAck);
        Set(MqttPropertyId.UserProperty, PropertyKind.StringPair, Will | Connect | ConnAck | Publish | PubAcks | Subscribe | SubAck | Unsubscribe | UnsubAck | Disconnect | Auth);
        Set(MqttPropertyId.MaximumPacketSize, PropertyKind.FourByteInt, Connect | ConnAck);
        Set(MqttPropertyId.WildcardSubscriptionAvailable, PropertyKind.Byte, ConnAck);
        Set(MqttPropertyId.SubscriptionIdentifierAvailable, PropertyKind.Byte, ConnAck);
        Set(MqttPropertyId.SharedSubscriptionAvailable, PropertyKind.Byte, ConnAck);
    }

    private static void Set(MqttPropertyId id, PropertyKind kind, int contexts)
    {
        Kinds[(int)id] = kind;
        Contexts[(int)id] = (ushort)contexts;
    }

    /// <summary>The kind of <paramref name="id"/> when it is defined and allowed in <paramref name="context"/>, else Invalid.</summary>
    public static PropertyKind Lookup(uint id, int context) =>
        id <= MaxId && (Contexts[id] & (1 << context)) != 0 ? Kinds[id] : PropertyKind.Invalid;

    public static bool IsAllowed(MqttPropertyId id, int context) => Lookup((uint)id, context) != PropertyKind.Invalid;
}
