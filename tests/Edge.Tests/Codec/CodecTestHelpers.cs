using System.Buffers;
using System.Text;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Codec;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, like a pipe that received data in pieces.</summary>
internal static class Segments
{
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>Splits <paramref name="data"/> at the given ascending offsets; each piece is copied into its own array.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var bounds = new List<int> { 0 };
        bounds.AddRange(cuts);
        bounds.Add(data.Length);
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < bounds.Count - 1; i++)
        {
            var piece = data.AsSpan(bounds[i], bounds[i + 1] - bounds[i]).ToArray();
            if (first is null)
            {
                first = last = new Segment(piece, 0);
            }
            else
            {
                last = last!.Append(piece);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>One segment per byte: every boundary split at once.</summary>
    public static ReadOnlySequence<byte> Bytewise(byte[] data) =>
        data.Length == 0 ? ReadOnlySequence<byte>.Empty : Split(data, Enumerable.Range(1, data.Length - 1).ToArray());
}

internal static class Codec
{
    public static byte[] Encode(in MqttPacket packet, MqttProtocolVersion version)
    {
        var writer = new ArrayBufferWriter<byte>();
        var written = MqttEncoder.Write(packet, version, writer);
        Assert.Equal(writer.WrittenCount, written);
        Assert.Equal(written, MqttEncoder.GetEncodedSize(packet, version));
        return writer.WrittenSpan.ToArray();
    }

    public static DecodeResult Decode(byte[] bytes, MqttProtocolVersion version, out MqttPacket packet, int maximumPacketSize = 0) =>
        Decode(new ReadOnlySequence<byte>(bytes), version, out packet, maximumPacketSize);

    public static DecodeResult Decode(ReadOnlySequence<byte> buffer, MqttProtocolVersion version, out MqttPacket packet, int maximumPacketSize = 0)
    {
        var result = MqttDecoder.TryRead(buffer, version, maximumPacketSize, out var consumed, out var examined, out packet);
        if (result.Status == DecodeStatus.Packet)
        {
            Assert.Equal(buffer.End, consumed);
            Assert.Equal(buffer.End, examined);
        }
        else
        {
            Assert.Equal(buffer.Start, consumed);
            Assert.Equal(buffer.End, examined);
        }

        return result;
    }

    public static MqttPacket DecodeOk(byte[] bytes, MqttProtocolVersion version)
    {
        var result = Decode(bytes, version, out var packet);
        Assert.True(result.Status == DecodeStatus.Packet, result.ToString());
        return packet;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    public static string Str(in ReadOnlySequence<byte> s) => Encoding.UTF8.GetString(s);
}

/// <summary>One representative packet of every type, richly populated for 5.0, for round-trip tests.</summary>
internal static class Samples
{
    public static readonly string[] Names =
    [
        "connect-min", "connect-full", "connack", "connack-refused", "publish-qos0", "publish-qos1", "publish-qos2-dup-retain",
        "publish-props", "publish-alias-empty-topic", "publish-empty-payload", "puback", "puback-reason", "pubrec", "pubrel",
        "pubcomp-props", "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect",
        "disconnect-reason", "auth",
    ];

    public static bool AppliesTo(string name, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V500 || name is not ("auth" or "publish-alias-empty-topic");

    private static readonly byte[] Payload = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

    public static MqttPacket Get(string name) => name switch
    {
        "connect-min" => new ConnectPacket { ClientId = "c", CleanStart = true, KeepAlive = 60 },
        "connect-full" => new ConnectPacket
        {
            ClientId = "grid-meter-42",
            CleanStart = false,
            KeepAlive = 30,
            UserName = "operator",
            Password = [1, 2, 3, 0, 255],
            Will = new MqttWill
            {
                Topic = "grid/meters/42/status",
                Payload = "offline"u8.ToArray(),
                QoS = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                Properties = new MqttProperties
                {
                    WillDelayInterval = 5,
                    PayloadFormatIndicator = MqttPayloadFormat.Utf8,
                    MessageExpiryInterval = 3600,
                    ContentType = "text/plain",
                    ResponseTopic = "grid/replies",
                    CorrelationData = [9, 8, 7],
                    UserProperties = [new("k", "v")],
                },
            },
            Properties = new MqttProperties
            {
                SessionExpiryInterval = 120,
                ReceiveMaximum = 20,
                MaximumPacketSize = 65536,
                TopicAliasMaximum = 10,
                RequestResponseInformation = true,
                RequestProblemInformation = false,
                AuthenticationMethod = "SCRAM-SHA-1",
                AuthenticationData = [1, 2],
                UserProperties = [new("region", "nord"), new("region", "süd")],
            },
        },
        "connack" => new ConnAckPacket
        {
            SessionPresent = true,
            ReasonCode = MqttReasonCode.Success,
            Properties = new MqttProperties
            {
                SessionExpiryInterval = 60,
                ReceiveMaximum = 100,
                MaximumQoS = MqttQualityOfService.AtLeastOnce,
                RetainAvailable = false,
                MaximumPacketSize = 1 << 20,
                AssignedClientIdentifier = "auto-1",
                TopicAliasMaximum = 16,
                ReasonString = "welcome",
                WildcardSubscriptionAvailable = true,
                SubscriptionIdentifierAvailable = true,
                SharedSubscriptionAvailable = false,
                ServerKeepAlive = 45,
                ResponseInformation = "resp/",
                ServerReference = "other:1883",
                AuthenticationMethod = "m",
                AuthenticationData = [7],
                UserProperties = [new("a", "b")],
            },
        },
        "connack-refused" => new ConnAckPacket { ReasonCode = MqttReasonCode.NotAuthorized },
        "publish-qos0" => new PublishPacket { Topic = Codec.Bytes("grid/substation/7/feeder/3/voltage/phase-a"), Payload = new ReadOnlySequence<byte>(Payload) },
        "publish-qos1" => new PublishPacket { QoS = MqttQualityOfService.AtLeastOnce, PacketId = 1, Topic = Codec.Bytes("a/b"), Payload = new ReadOnlySequence<byte>(Payload) },
        "publish-qos2-dup-retain" => new PublishPacket { QoS = MqttQualityOfService.ExactlyOnce, Dup = true, Retain = true, PacketId = 65535, Topic = Codec.Bytes("ü/€"), Payload = Codec.Bytes("x") },
        "publish-props" => new PublishPacket
        {
            QoS = MqttQualityOfService.AtLeastOnce,
            PacketId = 7,
            Topic = Codec.Bytes("grid/alarms"),
            Payload = Codec.Bytes("{\"level\":3}"),
            PayloadFormatIndicator = MqttPayloadFormat.Utf8,
            MessageExpiryInterval = 30,
            TopicAlias = 3,
            ResponseTopic = Codec.Bytes("grid/alarms/ack"),
            CorrelationData = new ReadOnlySequence<byte>([0, 1, 2]),
            ContentType = Codec.Bytes("application/json"),
            SubscriptionIdentifiers = [1, 268_435_455],
            UserProperties = [new("x", "1"), new("x", "2")],
        },
        "publish-alias-empty-topic" => new PublishPacket { Topic = ReadOnlySequence<byte>.Empty, TopicAlias = 9, Payload = Codec.Bytes("v") },
        "publish-empty-payload" => new PublishPacket { Topic = Codec.Bytes("t"), Retain = true },
        "puback" => new AckPacket(MqttPacketType.PubAck, 1),
        "puback-reason" => new AckPacket(MqttPacketType.PubAck, 2, MqttReasonCode.NoMatchingSubscribers),
        "pubrec" => new AckPacket(MqttPacketType.PubRec, 300, MqttReasonCode.QuotaExceeded) { ReasonString = "slow down" },
        "pubrel" => new AckPacket(MqttPacketType.PubRel, 301),
        "pubcomp-props" => new AckPacket(MqttPacketType.PubComp, 302, MqttReasonCode.PacketIdentifierNotFound) { UserProperties = [new("n", "v")] },
        "subscribe" => new SubscribePacket
        {
            PacketId = 10,
            Subscriptions =
            [
                new("grid/+/voltage", new MqttSubscriptionOptions(MqttQualityOfService.AtLeastOnce)),
                new("grid/#", new MqttSubscriptionOptions(MqttQualityOfService.ExactlyOnce)),
                new("#", new MqttSubscriptionOptions(MqttQualityOfService.AtMostOnce)),
            ],
            Properties = new MqttProperties { SubscriptionIdentifier = 42, UserProperties = [new("u", "p")] },
        },
        "suback" => new SubAckPacket
        {
            PacketId = 10,
            ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.GrantedQoS2, MqttReasonCode.UnspecifiedError],
            Properties = new MqttProperties { ReasonString = "ok" },
        },
        "unsubscribe" => new UnsubscribePacket { PacketId = 11, TopicFilters = ["grid/+/voltage", "grid/#"], Properties = new MqttProperties { UserProperties = [new("u", "p")] } },
        "unsuback" => new UnsubAckPacket { PacketId = 11, ReasonCodes = [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] },
        "pingreq" => MqttPacket.PingReq,
        "pingresp" => MqttPacket.PingResp,
        "disconnect" => new DisconnectPacket(),
        "disconnect-reason" => new DisconnectPacket
        {
            ReasonCode = MqttReasonCode.ServerMoved,
            Properties = new MqttProperties { ServerReference = "edge-2:1883", ReasonString = "rebalance", SessionExpiryInterval = 0 },
        },
        "auth" => new AuthPacket
        {
            ReasonCode = MqttReasonCode.ContinueAuthentication,
            Properties = new MqttProperties { AuthenticationMethod = "SCRAM-SHA-1", AuthenticationData = [1, 2, 3], ReasonString = "more" },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static TheoryData<string, MqttProtocolVersion> All()
    {
        var data = new TheoryData<string, MqttProtocolVersion>();
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            foreach (var name in Names)
            {
                if (AppliesTo(name, version))
                {
                    data.Add(name, version);
                }
            }
        }

        return data;
    }
}
