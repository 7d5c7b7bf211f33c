using GridGov.Realtime.Edge.Packets;
using System.Text;
using System.Diagnostics.CodeAnalysis;

namespace GridGov.Realtime.Edge.Topics;

/// <summary>
/// A retained PUBLISH (3.1.1 §3.3.1.3, 5.0 §3.3.1.3). The payload must be owned by the message
/// (not a pooled receive buffer): the store keeps it for as long as the message is retained.
/// </summary>
/// <param name="Topic">The topic name the message was published to.</param>
/// <param name="Payload">Application payload; an empty payload is never stored (it clears).</param>
/// <param name="Qos">QoS the message was published with.</param>
/// <param name="Properties">Opaque placeholder for the 5.0 PUBLISH properties to replay (user properties, content type...).</param>
/// <param name="ExpiresAt">From the 5.0 Message Expiry Interval (§3.3.2.3.3); null = never expires.</param>
public sealed record RetainedMessage(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQualityOfService Qos = MqttQualityOfService.AtMostOnce,
    object? Properties = null,
    DateTimeOffset? ExpiresAt = null)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    /// <summary>
    /// The Message Expiry Interval to send with this message now: the received value minus the time
    /// spent retained (5.0 §3.3.2.3.3), rounded up so a live message never goes out with 0. Null if none.
    /// </summary>
    public uint? RemainingExpirySeconds(DateTimeOffset now) =>
        ExpiresAt is { } at ? (uint)Math.Max(1, Math.Ceiling((at - now).TotalSeconds)) : null;
}

/// <summary>Outcome of <see cref="RetainedMessageStore.Set(RetainedMessage)"/>.</summary>
public enum RetainResult : byte
{
    /// <summary>A new retained message was stored for the topic.</summary>
    Stored,

    /// <summary>The topic's previous retained message was replaced.</summary>
    Replaced,

    /// <summary>An empty payload removed the topic's retained message ([MQTT-3.3.1-6] / 5.0 §3.3.1.3).</summary>
    Cleared,

    /// <summary>An empty payload for a topic that had no retained message: nothing to do.</summary>
    NothingToClear,

    /// <summary>The topic is not a valid topic name.</summary>
    InvalidTopic,

    /// <summary>Refused: storing it would exceed the configured message count cap.</summary>
    CountLimitReached,

    /// <summary>Refused: storing it would exceed the configured byte cap.</summary>
    ByteLimitReached,
}

/// <summary>
/// Retained messages indexed by a trie over topic levels, so a subscription's filter is resolved
/// by walking the trie ('+' visits the children of one level, '#' a subtree) instead of scanning
/// every topic. Reads (<see cref="Match(ReadOnlySpan{char}, List{RetainedMessage})"/>,
/// <see cref="TryGet"/>) are lock-free; writes serialize on one lock. Expired messages (5.0
/// Message Expiry) are never returned and are pruned when met, or by <see cref="PruneExpired"/>.
/// </summary>
/// <remarks>
/// Sizes: <see cref="TotalBytes"/> counts payload bytes plus the UTF-8 bytes of the topic. When a
/// cap would be exceeded the store first drops expired messages (at most once per second), then
/// refuses with <see cref="RetainResult.CountLimitReached"/> / <see cref="RetainResult.ByteLimitReached"/>;
/// the caller decides what to tell the client (5.0: PUBACK 0x97 Quota exceeded). Replacing a
/// message with a smaller or equal one, and clearing, are always accepted.
/// </remarks>
public sealed class RetainedMessageStore
{
    private static readonly TimeSpan s_capPruneInterval = TimeSpan.FromSeconds(1);

    private readonly Node _root = new(string.Empty, parent: null);
    private readonly Lock _writeLock = new();
    private readonly TimeProvider _time;
    private readonly int _maxCount;
    private readonly long _maxBytes;
    private int _count;
    private long _totalBytes;
    private int _nodeCount;
    private int _expiringCount;
    private DateTimeOffset _lastCapPrune = DateTimeOffset.MinValue;

    public RetainedMessageStore(TimeProvider? timeProvider = null, int maxCount = int.MaxValue, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        _time = timeProvider ?? TimeProvider.System;
        _maxCount = maxCount;
        _maxBytes = maxBytes;
    }

    /// <summary>Retained messages held (expired ones count until pruned).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Payload plus topic bytes held.</summary>
    public long TotalBytes => Volatile.Read(ref _totalBytes);

    /// <summary>Trie nodes below the root (0 when empty).</summary>
    public int NodeCount => Volatile.Read(ref _nodeCount);

    /// <summary>Convenience overload of <see cref="Set(RetainedMessage)"/>.</summary>
    public RetainResult Set(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, object? properties = null, DateTimeOffset? expiresAt = null) =>
        Set(new RetainedMessage(topic, payload, qos, properties, expiresAt));

    /// <summary>Stores, replaces or (empty payload) clears the retained message of <see cref="RetainedMessage.Topic"/>.</summary>
    public RetainResult Set(RetainedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Topic is null || !TopicValidator.ValidateTopicName(message.Topic).IsValid)
        {
            return RetainResult.InvalidTopic;
        }

        lock (_writeLock)
        {
            if (message.Payload.IsEmpty)
            {
                // Zero-byte retained message: remove, never store (5.0 §3.3.1.3, [MQTT-3.3.1-6], [MQTT-3.3.1-7]).
                var existing = FindNode(message.Topic);
                if (existing?.Message is not { } old)
                {
                    return RetainResult.NothingToClear;
                }

                RemoveLocked(existing, old);
                return RetainResult.Cleared;
            }

            var size = SizeOf(message);
            var node = FindNode(message.Topic);
            var previous = node?.Message;
            var addedCount = previous is null ? 1 : 0;
            var addedBytes = size - (previous is null ? 0 : SizeOf(previous));

            var refusal = CheckCaps(addedCount, addedBytes);
            if (refusal is not null && PruneForCapLocked())
            {
                node = FindNode(message.Topic); // pruning may have removed it
                previous = node?.Message;
                addedCount = previous is null ? 1 : 0;
                addedBytes = size - (previous is null ? 0 : SizeOf(previous));
                refusal = CheckCaps(addedCount, addedBytes);
            }

            if (refusal is { } refused)
            {
                return refused;
            }

            node ??= CreatePath(message.Topic);
            Volatile.Write(ref node.Message, message);
            Volatile.Write(ref _count, _count + addedCount);
            Volatile.Write(ref _totalBytes, _totalBytes + addedBytes);
            _expiringCount += (message.ExpiresAt is null ? 0 : 1) - (previous?.ExpiresAt is null ? 0 : 1);
            return previous is null ? RetainResult.Stored : RetainResult.Replaced;
        }
    }

    /// <summary>The live retained message of exactly this topic.</summary>
    public bool TryGet(ReadOnlySpan<char> topic, [MaybeNullWhen(false)] out RetainedMessage message)
    {
        message = FindNode(topic)?.Message;
        if (message is not null && message.IsExpired(_time.GetUtcNow()))
        {
            Expire([message]);
            message = null;
        }

        return message is not null;
    }

    /// <summary>Every live retained message whose topic matches <paramref name="filter"/> (a plain, valid topic filter).</summary>
    public List<RetainedMessage> Match(ReadOnlySpan<char> filter)
    {
        var results = new List<RetainedMessage>();
        Match(filter, results);
        return results;
    }

    /// <summary>
    /// Appends to <paramref name="results"/> every live retained message whose topic matches
    /// <paramref name="filter"/> (§4.7: '+', '#', parent-level '#', and no wildcard match of '$'
    /// topics at the first level). Strip a <c>$share/{name}/</c> prefix first, though 5.0 §4.8.2
    /// says retained messages are not sent for new shared subscriptions. Returns the number added.
    /// </summary>
    public int Match(ReadOnlySpan<char> filter, List<RetainedMessage> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (filter.IsEmpty)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var before = results.Count;
        List<RetainedMessage>? expired = null;

        // Iterative walk (no recursion, topics may be very deep): (node, start of next filter level or -1).
        var stack = new Stack<(Node Node, int Pos)>();
        stack.Push((_root, 0));
        while (stack.Count > 0)
        {
            var (node, pos) = stack.Pop();
            if (pos < 0)
            {
                Add(node.Message, results, now, ref expired);
                continue;
            }

            var rest = filter[pos..];
            var slash = rest.IndexOf('/');
            var level = slash < 0 ? rest : rest[..slash];
            var next = slash < 0 ? -1 : pos + slash + 1;
            var atRoot = node.Parent is null;

            if (level is "#")
            {
                // '#' matches the parent level ("a/#" matches "a") and everything below (§4.7.1.2).
                if (!atRoot)
                {
                    Add(node.Message, results, now, ref expired);
                }

                AddSubtree(node, atRoot, results, now, ref expired);
            }
            else if (level is "+")
            {
                foreach (var (key, child) in node.Children.Entries())
                {
                    if (atRoot && key.StartsWith('$'))
                    {
                        continue; // [MQTT-4.7.2-1]
                    }

                    stack.Push((child, next));
                }
            }
            else if (node.Children.TryGet(level, out var child))
            {
                stack.Push((child, next));
            }
        }

        if (expired is not null)
        {
            Expire(expired);
        }

        return results.Count - before;
    }

    /// <summary>Removes every expired message (a full scan; call it periodically, e.g. once a minute). Returns how many.</summary>
    public int PruneExpired()
    {
        lock (_writeLock)
        {
            return PruneExpiredLocked(_time.GetUtcNow());
        }
    }

    private static void AddSubtree(Node top, bool atRoot, List<RetainedMessage> results, DateTimeOffset now, ref List<RetainedMessage>? expired)
    {
        var stack = new Stack<Node>();
        foreach (var (key, child) in top.Children.Entries())
        {
            if (!(atRoot && key.StartsWith('$')))
            {
                stack.Push(child); // [MQTT-4.7.2-1]: "#" does not match "$SYS/..."
            }
        }

        while (stack.Count > 0)
        {
            var node = stack.Pop();
            Add(node.Message, results, now, ref expired);
            foreach (var (_, child) in node.Children.Entries())
            {
                stack.Push(child);
            }
        }
    }

    private static void Add(RetainedMessage? message, List<RetainedMessage> results, DateTimeOffset now, ref List<RetainedMessage>? expired)
    {
        if (message is null)
        {
            return;
        }

        if (message.IsExpired(now))
        {
            (expired ??= []).Add(message);
        }
        else
        {
            results.Add(message);
        }
    }

    private void Expire(List<RetainedMessage> expired)
    {
        lock (_writeLock)
        {
            foreach (var message in expired)
            {
                var node = FindNode(message.Topic);
                if (node is not null && ReferenceEquals(node.Message, message))
                {
                    RemoveLocked(node, message); // only if not replaced meanwhile
                }
            }
        }
    }

    private RetainResult? CheckCaps(int addedCount, long addedBytes)
    {
        if (addedCount > 0 && _count + addedCount > _maxCount)
        {
            return RetainResult.CountLimitReached;
        }

        if (addedBytes > 0 && _totalBytes + addedBytes > _maxBytes)
        {
            return RetainResult.ByteLimitReached;
        }

        return null;
    }

    /// <summary>Full expiry sweep when a cap is hit, rate-limited so a full store is not rescanned per PUBLISH.</summary>
    private bool PruneForCapLocked()
    {
        var now = _time.GetUtcNow();
        if (_expiringCount == 0 || now - _lastCapPrune < s_capPruneInterval)
        {
            return false;
        }

        _lastCapPrune = now;
        return PruneExpiredLocked(now) > 0;
    }

    private int PruneExpiredLocked(DateTimeOffset now)
    {
        if (_expiringCount == 0)
        {
            return 0;
        }

        var expired = new List<Node>();
        var stack = new Stack<Node>();
        stack.Push(_root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.Message is { } m && m.IsExpired(now))
            {
                expired.Add(node);
            }

            foreach (var (_, child) in node.Children.Entries())
            {
                stack.Push(child);
            }
        }

        foreach (var node in expired)
        {
            if (node.Message is { } m)
            {
                RemoveLocked(node, m);
            }
        }

        return expired.Count;
    }

    private void RemoveLocked(Node node, RetainedMessage message)
    {
        Volatile.Write(ref node.Message, null);
        Volatile.Write(ref _count, _count - 1);
        Volatile.Write(ref _totalBytes, _totalBytes - SizeOf(message));
        if (message.ExpiresAt is not null)
        {
            _expiringCount--;
        }

        while (node.Parent is { } parent && node.Message is null && node.Children.Count == 0)
        {
            parent.Children.Remove(node.Level);
            _nodeCount--;
            node = parent;
        }
    }

    private Node? FindNode(ReadOnlySpan<char> topic)
    {
        var node = _root;
        var rest = topic;
        while (true)
        {
            var slash = rest.IndexOf('/');
            var level = slash < 0 ? rest : rest[..slash];
            if (!node.Children.TryGet(level, out var child))
            {
                return null;
            }

            if (slash < 0)
            {
                return child;
            }

            node = child;
            rest = rest[(slash + 1)..];
        }
    }

    private Node CreatePath(string topic)
    {
        var node = _root;
        var rest = topic.AsSpan();
        while (true)
        {
            var slash = rest.IndexOf('/');
            var level = slash < 0 ? rest : rest[..slash];
            if (!node.Children.TryGet(level, out var child))
            {
                var name = level.ToString();
                child = new Node(name, node);
                node.Children.Add(name, child);
                _nodeCount++;
            }

            if (slash < 0)
            {
                return child;
            }

            node = child;
            rest = rest[(slash + 1)..];
        }
    }

    private static long SizeOf(RetainedMessage message) => message.Payload.Length + Encoding.UTF8.GetByteCount(message.Topic);

    private sealed class Node(string level, Node? parent)
    {
        public readonly string Level = level;
        public readonly Node? Parent = parent;
        public LevelMap<Node> Children;
        public RetainedMessage? Message;
    }
}
