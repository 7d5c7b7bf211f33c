using GridGov.Realtime.Edge.Packets;
namespace GridGov.Realtime.Edge.Topics;

/// <summary>
/// One delivery produced by <see cref="SubscriptionTree.Match(ReadOnlySpan{char}, MatchResults, string?, Func{string, bool}?)"/>.
/// Non-shared subscriptions of one client are merged into a single entry (5.0 §3.3.4): the
/// maximum QoS, every Subscription Identifier, RetainAsPublished if any matched subscription asked
/// for it, NoLocal only if every matched subscription asked for it. A shared subscription group
/// yields its own entry for the member it picked (<see cref="ShareName"/> set), even when that
/// client also has a matching non-shared subscription: the spec delivers both copies (§4.8.2).
/// </summary>
public readonly struct SubscriberMatch
{
    internal SubscriberMatch(string clientId, MqttQualityOfService qos, bool noLocal, bool retainAsPublished, string? shareName, int idStart, int idCount)
    {
        ClientId = clientId;
        Qos = qos;
        NoLocal = noLocal;
        RetainAsPublished = retainAsPublished;
        ShareName = shareName;
        IdentifierStart = idStart;
        IdentifierCount = idCount;
    }

    public string ClientId { get; }

    /// <summary>Maximum granted QoS over the matched subscriptions; deliver at min(this, message QoS).</summary>
    public MqttQualityOfService Qos { get; }

    /// <summary>Every matched subscription had NoLocal set (only relevant if no publisher id was given to Match).</summary>
    public bool NoLocal { get; }

    /// <summary>At least one matched subscription had RetainAsPublished set.</summary>
    public bool RetainAsPublished { get; }

    /// <summary>The ShareName of the shared subscription group this delivery came from, or null.</summary>
    public string? ShareName { get; }

    public bool IsShared => ShareName is not null;

    internal int IdentifierStart { get; }

    internal int IdentifierCount { get; }
}

/// <summary>
/// Reusable, caller-owned output buffer of <see cref="SubscriptionTree"/>.Match. Not thread-safe:
/// keep one per connection or per thread. After a warm-up it does not allocate.
/// </summary>
public sealed class MatchResults
{
    private const int LinearSearchLimit = 8;

    private Entry[] _entries = new Entry[16];
    private int _count;
    private PendingId[] _pending = new PendingId[16];
    private int _pendingCount;
    private int[] _ids = new int[16];
    // client id -> entry, only for large fan-outs. Keyed by id, not by the tree's client object: a reader
    // racing a RemoveClient + re-Subscribe can meet both the old and the new object of one client.
    private Dictionary<string, int>? _index;
    private SubscriberMatch[] _matches = new SubscriberMatch[16];

    public int Count => _count;

    public SubscriberMatch this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _matches[index];
        }
    }

    /// <summary>The deliveries of the last Match, valid until the next Match into this buffer.</summary>
    public ReadOnlySpan<SubscriberMatch> AsSpan() => _matches.AsSpan(0, _count);

    /// <summary>The Subscription Identifiers (5.0 §3.3.4) to put in the PUBLISH sent for <paramref name="match"/>; order not significant.</summary>
    public ReadOnlySpan<int> GetSubscriptionIdentifiers(in SubscriberMatch match) =>
        _ids.AsSpan(match.IdentifierStart, match.IdentifierCount);

    public void Clear()
    {
        Array.Clear(_entries, 0, _count);
        Array.Clear(_matches, 0, _count);
        Array.Clear(_pending, 0, _pendingCount);
        _count = 0;
        _pendingCount = 0;
        _index?.Clear();
    }

    internal void AddDirect(object client, string clientId, in SubscriptionOptions options)
    {
        var index = Find(clientId);
        if (index < 0)
        {
            index = Append(client, clientId, options, shareName: null);
            if (_index is not null)
            {
                _index[clientId] = index;
            }
            else if (_count > LinearSearchLimit)
            {
                BuildIndex();
            }
        }
        else
        {
            ref var e = ref _entries[index];
            if (options.Qos > e.Qos)
            {
                e.Qos = options.Qos; // [MQTT-3.3.4-2] maximum QoS of all matching subscriptions
            }

            e.NoLocal &= options.NoLocal;
            e.RetainAsPublished |= options.RetainAsPublished;
        }

        AddIdentifier(index, options.SubscriptionIdentifier);
    }

    internal void AddShared(string clientId, in SubscriptionOptions options, string shareName)
    {
        var index = Append(client: null, clientId, options, shareName);
        AddIdentifier(index, options.SubscriptionIdentifier);
    }

    /// <summary>Turns the accumulated entries into the public view and lays identifiers out contiguously.</summary>
    internal void Complete()
    {
        if (_matches.Length < _entries.Length)
        {
            _matches = new SubscriberMatch[_entries.Length];
        }

        if (_ids.Length < _pendingCount)
        {
            _ids = new int[Math.Max(_pendingCount, _ids.Length * 2)];
        }

        // Counting sort of (entry, id) pairs by entry: IdentifierStart = prefix sum of counts.
        var offset = 0;
        for (var i = 0; i < _count; i++)
        {
            ref var e = ref _entries[i];
            e.IdStart = offset;
            offset += e.IdCount;
            e.IdCount = 0;
        }

        for (var i = 0; i < _pendingCount; i++)
        {
            ref var e = ref _entries[_pending[i].Entry];
            _ids[e.IdStart + e.IdCount++] = _pending[i].Id;
        }

        for (var i = 0; i < _count; i++)
        {
            ref var e = ref _entries[i];
            _matches[i] = new SubscriberMatch(e.ClientId!, e.Qos, e.NoLocal, e.RetainAsPublished, e.ShareName, e.IdStart, e.IdCount);
        }
    }

    private int Find(string clientId)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(clientId, out var found) ? found : -1;
        }

        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Client is not null && string.Equals(_entries[i].ClientId, clientId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void BuildIndex()
    {
        _index ??= new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Client is not null)
            {
                _index[_entries[i].ClientId!] = i;
            }
        }
    }

    private int Append(object? client, string clientId, in SubscriptionOptions options, string? shareName)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count] = new Entry
        {
            Client = client,
            ClientId = clientId,
            Qos = options.Qos,
            NoLocal = options.NoLocal,
            RetainAsPublished = options.RetainAsPublished,
            ShareName = shareName,
        };
        return _count++;
    }

    private void AddIdentifier(int entry, int id)
    {
        if (id == 0)
        {
            return;
        }

        if (_pendingCount == _pending.Length)
        {
            Array.Resize(ref _pending, _pendingCount * 2);
        }

        _pending[_pendingCount++] = new PendingId(entry, id);
        _entries[entry].IdCount++;
    }

    private struct Entry
    {
        public object? Client;
        public string? ClientId;
        public MqttQualityOfService Qos;
        public bool NoLocal;
        public bool RetainAsPublished;
        public string? ShareName;
        public int IdStart;
        public int IdCount;
    }

    private readonly record struct PendingId(int Entry, int Id);
}
