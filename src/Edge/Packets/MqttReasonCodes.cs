namespace GridGov.Realtime.Edge.Packets;

/// <summary>Reason code helpers: which codes each packet may carry (5.0 §3.x.2.1 tables) and 3.1.1 mappings.</summary>
public static class MqttReasonCodes
{
    // One 256-bit set per packet type, built once. Index = (int)MqttPacketType.
    private static readonly ulong[][] Allowed = Build();

    private static ulong[][] Build()
    {
        var sets = new ulong[16][];
        for (var i = 0; i < sets.Length; i++)
        {
            sets[i] = new ulong[4];
        }

        // 5.0 §3.2.2.2 CONNACK reason codes.
        Add(sets[(int)MqttPacketType.ConnAck], 0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
        // 5.0 §3.4.2.1 PUBACK and §3.5.2.1 PUBREC.
        Add(sets[(int)MqttPacketType.PubAck], 0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
        Add(sets[(int)MqttPacketType.PubRec], 0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
        // 5.0 §3.6.2.1 PUBREL and §3.7.2.1 PUBCOMP.
        Add(sets[(int)MqttPacketType.PubRel], 0x00, 0x92);
        Add(sets[(int)MqttPacketType.PubComp], 0x00, 0x92);
        // 5.0 §3.9.3 SUBACK.
        Add(sets[(int)MqttPacketType.SubAck], 0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);
        // 5.0 §3.11.3 UNSUBACK.
        Add(sets[(int)MqttPacketType.UnsubAck], 0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);
        // 5.0 §3.14.2.1 DISCONNECT.
        Add(sets[(int)MqttPacketType.Disconnect], 0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2);
        // 5.0 §3.15.2.1 AUTH.
        Add(sets[(int)MqttPacketType.Auth], 0x00, 0x18, 0x19);
        return sets;
    }

    private static void Add(ulong[] set, params int[] codes)
    {
        foreach (var c in codes)
        {
            set[c >> 6] |= 1UL << (c & 63);
        }
    }

    /// <summary>True when <paramref name="code"/> is one the 5.0 spec lists for <paramref name="type"/>.</summary>
    public static bool IsAllowed(MqttPacketType type, MqttReasonCode code)
    {
        var c = (int)code;
        return (Allowed[(int)type & 15][c >> 6] & (1UL << (c & 63))) != 0;
    }

    /// <summary>Maps a 3.1.1 CONNACK return code (3.1.1 §3.2.2.3) to the equivalent 5.0 reason code.</summary>
    public static MqttReasonCode FromConnectReturnCode(MqttConnectReturnCode code) => code switch
    {
        MqttConnectReturnCode.Accepted => MqttReasonCode.Success,
        MqttConnectReturnCode.UnacceptableProtocolVersion => MqttReasonCode.UnsupportedProtocolVersion,
        MqttConnectReturnCode.IdentifierRejected => MqttReasonCode.ClientIdentifierNotValid,
        MqttConnectReturnCode.ServerUnavailable => MqttReasonCode.ServerUnavailable,
        MqttConnectReturnCode.BadUserNameOrPassword => MqttReasonCode.BadUserNameOrPassword,
        MqttConnectReturnCode.NotAuthorized => MqttReasonCode.NotAuthorized,
        _ => MqttReasonCode.UnspecifiedError,
    };

    /// <summary>
    /// Maps a 5.0 reason code to the 3.1.1 CONNACK return code to send, or null when 3.1.1 has no CONNACK for it
    /// (e.g. a malformed packet: 3.1.1 §4.8 says just close the connection).
    /// </summary>
    public static MqttConnectReturnCode? ToConnectReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => MqttConnectReturnCode.Accepted,
        MqttReasonCode.UnsupportedProtocolVersion => MqttConnectReturnCode.UnacceptableProtocolVersion,
        MqttReasonCode.ClientIdentifierNotValid => MqttConnectReturnCode.IdentifierRejected,
        MqttReasonCode.BadUserNameOrPassword or MqttReasonCode.BadAuthenticationMethod => MqttConnectReturnCode.BadUserNameOrPassword,
        MqttReasonCode.NotAuthorized or MqttReasonCode.Banned => MqttConnectReturnCode.NotAuthorized,
        MqttReasonCode.ServerUnavailable or MqttReasonCode.ServerBusy or MqttReasonCode.UseAnotherServer
            or MqttReasonCode.ServerMoved or MqttReasonCode.ConnectionRateExceeded or MqttReasonCode.QuotaExceeded => MqttConnectReturnCode.ServerUnavailable,
        _ => null,
    };

    /// <summary>3.1.1 SUBACK return codes are only 0x00, 0x01, 0x02 and 0x80 (3.1.1 §3.9.3).</summary>
    public static bool IsValidV311SubAck(MqttReasonCode code) => code is MqttReasonCode.GrantedQoS0 or MqttReasonCode.GrantedQoS1 or MqttReasonCode.GrantedQoS2 or MqttReasonCode.UnspecifiedError;

    /// <summary>Maps any 5.0 SUBACK reason code to the 3.1.1 subset (failures become 0x80).</summary>
    public static MqttReasonCode ToV311SubAck(MqttReasonCode code) => (byte)code < 0x80 && (byte)code <= 2 ? code : MqttReasonCode.UnspecifiedError;
}
