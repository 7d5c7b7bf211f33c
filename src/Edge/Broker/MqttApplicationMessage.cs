using System.Buffers;
using System.Text;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Broker;

/// <summary>
/// A published message as the broker keeps it: owned copies of everything, shared by every subscriber it goes to
/// (and by the retained store). Not changed while anyone holds it.
/// <para><b>Lifetime:</b> a message from the <see cref="MqttMessagePool"/> (a client's PUBLISH) is reference-counted:
/// whoever keeps it beyond the call that handed it over (an outbound queue, a session's queue or in-flight window)
/// calls <see cref="AddReference"/> and later <see cref="Release"/>; the last release recycles it, payload buffer and
/// all. <see cref="Pin"/> takes it out of that cycle for holders that never release (the retained store). Messages made
/// with <c>new</c> (wills, in-process publishes, restored state) are never recycled, and both calls do nothing.
/// A missed release only costs the pool one message (the GC takes it); a release too many would corrupt another
/// message, so it throws (a bug, never a network condition).</para>
/// </summary>
internal sealed class MqttApplicationMessage
{
    private readonly MqttMessagePool? _pool;
    private int _references;
    private volatile bool _pinned;

    public MqttApplicationMessage()
    {
    }

    internal MqttApplicationMessage(MqttMessagePool pool) => _pool = pool;

    public string Topic { get; set; } = "";
    public byte[] TopicUtf8 { get; set; } = [];
    public ReadOnlyMemory<byte> Payload { get; set; }
    public MqttQualityOfService QoS { get; set; }
    public bool Retain { get; set; }
    /// <summary>Client id of the publisher (NoLocal), null for in-process publishes.</summary>
    public string? PublisherClientId { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public MqttPayloadFormat? PayloadFormat { get; set; }
    public byte[]? ContentType { get; set; }
    public byte[]? ResponseTopic { get; set; }
    public byte[]? CorrelationData { get; set; }
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }

    /// <summary>The pooled payload storage <see cref="Payload"/> is a slice of; null for messages not from the pool.</summary>
    internal byte[]? Buffer { get; set; }

    /// <summary>True while the message goes back to the pool after its last release (rented and not pinned).</summary>
    internal bool IsPooled => _pool is not null && !_pinned;

    /// <summary>Rented out: one reference, the renter's.</summary>
    internal void Activate()
    {
        _pinned = false;
        Volatile.Write(ref _references, 1);
    }

    /// <summary>Another holder keeps the message until its own <see cref="Release"/>.</summary>
    public void AddReference()
    {
        if (!IsPooled) return;
        // Taking a reference to a message already recycled means a holder released too early: fail loudly.
        if (Interlocked.Increment(ref _references) <= 1) throw new System.Diagnostics.UnreachableException("A recycled MQTT message was referenced again.");
    }

    /// <summary>Drops one holder's reference; the last one returns the message to its pool.</summary>
    public void Release()
    {
        if (!IsPooled) return;
        var left = Interlocked.Decrement(ref _references);
        if (left > 0) return;
        if (left < 0) throw new System.Diagnostics.UnreachableException("An MQTT message was released more often than referenced.");
        _pool!.Return(this);
    }

    /// <summary>
    /// Never recycled from now on, and no longer counted: for holders that keep the message without releasing it (the
    /// retained store). Only the renter calls it, before the message is shared.
    /// </summary>
    public void Pin()
    {
        if (!IsPooled) return;
        _pinned = true;
        _pool!.Pinned();
        // Out of the pool for good: keep only the payload's own bytes, not the pooled buffer rounded up around it, so
        // the retained store's byte quota is what it holds.
        if (Buffer is { } buffer && buffer.Length != Payload.Length)
        {
            Payload = Payload.ToArray();
            Buffer = null;
        }
    }

    /// <summary>Rough encoded size, for queue accounting.</summary>
    public int ApproximateSize => 16 + TopicUtf8.Length + Payload.Length + (ContentType?.Length ?? 0) + (ResponseTopic?.Length ?? 0) + (CorrelationData?.Length ?? 0);

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    public static MqttApplicationMessage FromWill(MqttWill will, string publisher, DateTimeOffset now) => new()
    {
        Topic = will.Topic,
        TopicUtf8 = Encoding.UTF8.GetBytes(will.Topic),
        Payload = will.Payload,
        QoS = will.QoS,
        Retain = will.Retain,
        PublisherClientId = publisher,
        ExpiresAt = will.Properties?.MessageExpiryInterval is { } s ? now.AddSeconds(s) : null,
        PayloadFormat = will.Properties?.PayloadFormatIndicator,
        ContentType = will.Properties?.ContentType is { } ct ? Encoding.UTF8.GetBytes(ct) : null,
        ResponseTopic = will.Properties?.ResponseTopic is { } rt ? Encoding.UTF8.GetBytes(rt) : null,
        CorrelationData = will.Properties?.CorrelationData,
        UserProperties = will.Properties?.UserProperties,
    };

    /// <summary>The PUBLISH to send one subscriber (5.0 §3.3.2.3.3: expiry is what remains, never 0 for a live message).</summary>
    public PublishPacket ToPacket(MqttQualityOfService qos, ushort packetId, bool dup, bool retain, IReadOnlyList<uint>? subscriptionIds, DateTimeOffset now) => new()
    {
        QoS = qos,
        PacketId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : packetId,
        Dup = dup,
        Retain = retain,
        Topic = new ReadOnlySequence<byte>(TopicUtf8),
        Payload = new ReadOnlySequence<byte>(Payload),
        MessageExpiryInterval = ExpiresAt is { } at ? (uint)Math.Max(1, Math.Ceiling((at - now).TotalSeconds)) : null,
        PayloadFormatIndicator = PayloadFormat,
        ContentType = ContentType is null ? null : new ReadOnlySequence<byte>(ContentType),
        ResponseTopic = ResponseTopic is null ? null : new ReadOnlySequence<byte>(ResponseTopic),
        CorrelationData = CorrelationData is null ? null : new ReadOnlySequence<byte>(CorrelationData),
        SubscriptionIdentifiers = subscriptionIds,
        UserProperties = UserProperties,
    };
}
