using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Broker;

/// <summary>
/// Recycles the broker's message objects and their payload buffers, so the steady-state publish path allocates
/// nothing per message. A rented message starts with one reference (the publisher's); every queue that keeps it takes
/// another; the last <see cref="MqttApplicationMessage.Release"/> returns it here. Bounded: at most
/// <see cref="MaxPooled"/> messages wait here, and a payload buffer above <see cref="MaxPooledBufferBytes"/> is left
/// to the GC, so a burst of large messages does not stay resident (worst case MaxPooled × MaxPooledBufferBytes).
/// </summary>
internal sealed class MqttMessagePool
{
    public const int MaxPooled = 4096;
    public const int MaxPooledBufferBytes = 4096;
    private const int MinBufferBytes = 128;

    private readonly ConcurrentQueue<MqttApplicationMessage> _free = new();
    private int _count;
    private long _outstanding;

    /// <summary>Messages waiting to be reused.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Rented messages not yet released by their last holder (pinned ones excluded): what the broker's queues hold.
    /// Zero once every queue is empty; anything else after that is a missed release.
    /// </summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    /// <summary>
    /// A copy of a decoded PUBLISH (whose slices die with the pipe buffer), owned by the caller (one reference).
    /// 5.0 §3.3.2.3.3: the expiry counts from now.
    /// </summary>
    public MqttApplicationMessage Rent(in PublishPacket p, string topic, byte[] topicUtf8, string publisher, DateTimeOffset now)
    {
        if (_free.TryDequeue(out var message)) Interlocked.Decrement(ref _count);
        else message = new MqttApplicationMessage(this);
        Interlocked.Increment(ref _outstanding);

        var length = checked((int)p.Payload.Length);
        var buffer = message.Buffer;
        if (buffer is null || buffer.Length < length) message.Buffer = buffer = new byte[Math.Max(MinBufferBytes, (int)BitOperations.RoundUpToPowerOf2((uint)length))];
        p.Payload.CopyTo(buffer);

        message.Topic = topic;
        message.TopicUtf8 = topicUtf8;
        message.Payload = buffer.AsMemory(0, length);
        message.QoS = p.QoS;
        message.Retain = p.Retain;
        message.PublisherClientId = publisher;
        message.ExpiresAt = p.MessageExpiryInterval is { } s ? now.AddSeconds(s) : null;
        message.PayloadFormat = p.PayloadFormatIndicator;
        message.ContentType = p.ContentType?.ToArray();
        message.ResponseTopic = p.ResponseTopic?.ToArray();
        message.CorrelationData = p.CorrelationData?.ToArray();
        message.UserProperties = p.UserProperties;
        message.Activate();
        return message;
    }

    /// <summary>Called by the message's last release; drops it when the pool is full.</summary>
    internal void Return(MqttApplicationMessage message)
    {
        Interlocked.Decrement(ref _outstanding);
        if (Interlocked.Increment(ref _count) > MaxPooled)
        {
            Interlocked.Decrement(ref _count);
            return;
        }

        if (message.Buffer is { Length: > MaxPooledBufferBytes }) message.Buffer = null;
        _free.Enqueue(message);
    }

    /// <summary>A pinned message leaves the cycle for good.</summary>
    internal void Pinned() => Interlocked.Decrement(ref _outstanding);
}
