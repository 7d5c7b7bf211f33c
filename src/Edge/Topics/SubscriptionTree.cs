namespace GridGov.Realtime.Edge.Topics;

/// <summary>Outcome of <see cref="SubscriptionTree.Subscribe"/>.</summary>
public enum SubscribeResult : byte
{
    /// <summary>A new subscription was created (retain handling 1 sends retained messages).</summary>
    Created,

    /// <summary>An existing subscription of this client to this exact filter was replaced (5.0 §3.8.4).</summary>
    Replaced,

    /// <summary>The filter is not a valid topic filter; SUBACK reason 0x8F Topic Filter invalid.</summary>
    InvalidFilter,

    /// <summary>The filter has more levels than this tree accepts; SUBACK reason 0x8F or 0x97.</summary>
    TooManyLevels,

    /// <summary>NoLocal on a shared subscription is a Protocol Error [MQTT-3.8.3-4].</summary>
    NoLocalOnSharedSubscription,

    /// <summary>The Subscription Identifier is outside 0..268,435,455 (0 = none).</summary>
    InvalidSubscriptionIdentifier,
}

/// <summary>
/// The broker's subscription index: a trie over topic levels with '+' and '#' children, shared
/// subscription groups (5.0 §4.8.2) and per-client bookkeeping.
/// </summary>
/// <remarks>
/// <para>Concurrency: <see cref="Match(ReadOnlySpan{char}, MatchResults, string?, Func{string, bool}?)"/>
/// is lock-free and allocation-free and may run on any number of threads. Writers
/// (Subscribe / Unsubscribe / RemoveClient) are serialized by one lock and publish immutable
/// arrays / new nodes with release semantics, so a concurrent Match sees each node either before
/// or after a write, never a torn state. A Match racing a write may or may not include that one
/// subscription, which is the ordering MQTT allows for a SUBSCRIBE concurrent with a PUBLISH.</para>
/// <para>Matching semantics (§4.7): '+' matches exactly one level, including an empty one; '#'
/// matches the parent level and any number of child levels; filters starting with a wildcard do
/// not match topics starting with '$' ([MQTT-4.7.2-1]); empty levels are real levels.</para>
/// </remarks>
public sealed class SubscriptionTree
{
    /// <summary>Default limit on filter levels; keeps Match's recursion depth bounded.</summary>
    public const int DefaultMaxFilterLevels = 128;

    private readonly Node _root = new(string.Empty, parent: null);
    private readonly Lock _writeLock = new();
    private readonly Dictionary<string, ClientState> _clients = new(StringComparer.Ordinal);
    private readonly int _maxFilterLevels;
    private int _nodeCount;
    private int _subscriptionCount;

    public SubscriptionTree(int maxFilterLevels = DefaultMaxFilterLevels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFilterLevels, 1);
        _maxFilterLevels = maxFilterLevels;
    }

    /// <summary>Trie nodes below the root (0 when there are no subscriptions: nothing is left behind).</summary>
    public int NodeCount => Volatile.Read(ref _nodeCount);

    /// <summary>Subscriptions, shared group memberships included.</summary>
    public int SubscriptionCount => Volatile.Read(ref _subscriptionCount);

    /// <summary>Clients with at least one subscription.</summary>
    public int ClientCount
    {
        get
        {
            lock (_writeLock)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>
    /// Adds or replaces the subscription of <paramref name="clientId"/> to <paramref name="filter"/>
    /// (a plain filter or <c>$share/{ShareName}/{filter}</c>). Never throws on bad input.
    /// </summary>
    public SubscribeResult Subscribe(string clientId, string filter, SubscriptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(filter);

        var validation = TopicValidator.ValidateTopicFilter(filter, allowShared: true, _maxFilterLevels);
        if (!validation.IsValid)
        {
            return validation.Error == TopicValidationError.TooManyLevels ? SubscribeResult.TooManyLevels : SubscribeResult.InvalidFilter;
        }

        if ((uint)options.SubscriptionIdentifier > SubscriptionOptions.MaxSubscriptionIdentifier)
        {
            return SubscribeResult.InvalidSubscriptionIdentifier;
        }

        var shared = TopicValidator.IsSharedFilter(filter);
        if (shared && options.NoLocal)
        {
            return SubscribeResult.NoLocalOnSharedSubscription; // [MQTT-3.8.3-4]
        }

        string? shareName = null;
        var inner = filter.AsSpan();
        if (shared)
        {
            TopicValidator.SplitShared(filter, out var name, out inner);
            shareName = name.ToString();
        }

        lock (_writeLock)
        {
            if (!_clients.TryGetValue(clientId, out var client))
            {
                client = new ClientState(clientId);
                _clients.Add(clientId, client);
            }

            var node = GetOrCreatePath(inner);
            var subscription = new Subscription(client, options);
            bool replaced;
            if (shareName is null)
            {
                replaced = Upsert(ref node.Subscriptions, subscription);
            }
            else
            {
                var group = Array.Find(node.Groups, g => string.Equals(g.ShareName, shareName, StringComparison.Ordinal));
                if (group is null)
                {
                    group = new SharedGroup(shareName);
                    Volatile.Write(ref node.Groups, [.. node.Groups, group]);
                }

                replaced = Upsert(ref group.Members, subscription);
            }

            if (!replaced)
            {
                client.Filters.Add(filter);
                _subscriptionCount++;
            }

            return replaced ? SubscribeResult.Replaced : SubscribeResult.Created;
        }
    }

    /// <summary>Removes one subscription. Returns false if it did not exist (UNSUBACK 0x11) or the filter is invalid.</summary>
    public bool Unsubscribe(string clientId, string filter)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(filter);
        lock (_writeLock)
        {
            if (!_clients.TryGetValue(clientId, out var client) || !client.Filters.Remove(filter))
            {
                return false;
            }

            RemoveLocked(client, filter);
            if (client.Filters.Count == 0)
            {
                _clients.Remove(clientId);
            }

            return true;
        }
    }

    /// <summary>Removes every subscription of a client (session end). Returns how many were removed.</summary>
    public int RemoveClient(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        lock (_writeLock)
        {
            if (!_clients.Remove(clientId, out var client))
            {
                return 0;
            }

            foreach (var filter in client.Filters)
            {
                RemoveLocked(client, filter);
            }

            var removed = client.Filters.Count;
            client.Filters.Clear();
            return removed;
        }
    }

    /// <summary>A client's subscriptions with their options (to store a session that has just become persistent).</summary>
    public IReadOnlyList<(string Filter, SubscriptionOptions Options)> GetSubscriptions(string clientId)
    {
        lock (_writeLock)
        {
            if (!_clients.TryGetValue(clientId, out var client)) return [];
            var found = new List<(string, SubscriptionOptions)>(client.Filters.Count);
            foreach (var filter in client.Filters)
            {
                var inner = filter.AsSpan();
                string? shareName = null;
                if (TopicValidator.IsSharedFilter(filter))
                {
                    TopicValidator.SplitShared(filter, out var name, out inner);
                    shareName = name.ToString();
                }

                if (FindPath(inner) is not { } node) continue;
                var members = shareName is null ? node.Subscriptions : Array.Find(node.Groups, g => g.ShareName == shareName)?.Members ?? [];
                if (Array.Find(members, m => m.Client == client) is { } subscription) found.Add((filter, subscription.Options));
            }

            return found;
        }
    }

    /// <summary>The filters a client is subscribed to (for session persistence and diagnostics).</summary>
    public IReadOnlyList<string> GetFilters(string clientId)
    {
        lock (_writeLock)
        {
            return _clients.TryGetValue(clientId, out var client) ? [.. client.Filters] : [];
        }
    }

    /// <summary>
    /// Fills <paramref name="results"/> (cleared first) with one entry per client to deliver a message
    /// published to <paramref name="topic"/> to, plus one entry per matching shared subscription group.
    /// </summary>
    /// <param name="topic">A valid topic name (see <see cref="TopicValidator.ValidateTopicName"/>).</param>
    /// <param name="results">Caller-owned buffer, reused across calls.</param>
    /// <param name="publisherClientId">The publishing client; its NoLocal subscriptions are skipped (5.0 §3.8.3.1). Null: skip nothing.</param>
    /// <param name="isOnline">Shared groups skip members for which this returns false, falling back to
    /// any member when none is online. Cache the delegate; a lambda per call allocates.</param>
    public void Match(ReadOnlySpan<char> topic, MatchResults results, string? publisherClientId = null, Func<string, bool>? isOnline = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        results.Clear();
        if (!topic.IsEmpty)
        {
            var context = new MatchContext(results, publisherClientId, isOnline);
            Walk(_root, topic, 0, topic[0] == '$', ref context);
        }

        results.Complete();
    }

    /// <summary>Convenience overload for string topics.</summary>
    public void Match(string topic, MatchResults results, string? publisherClientId = null, Func<string, bool>? isOnline = null) =>
        Match(topic.AsSpan(), results, publisherClientId, isOnline);

    // pos: index where the next unconsumed topic level starts, or -1 when every level is consumed.
    private static void Walk(Node node, ReadOnlySpan<char> topic, int pos, bool dollarTopic, ref MatchContext context)
    {
        var hash = Volatile.Read(ref node.Hash);
        if (pos < 0)
        {
            Collect(node, ref context);
            if (hash is not null)
            {
                Collect(hash, ref context); // "a/#" matches "a" (§4.7.1.2)
            }

            return;
        }

        // [MQTT-4.7.2-1]: at the first level, '#' and '+' do not match a topic starting with '$'.
        var wildcardsAllowed = !(dollarTopic && node.Parent is null);
        if (hash is not null && wildcardsAllowed)
        {
            Collect(hash, ref context);
        }

        var rest = topic[pos..];
        var slash = rest.IndexOf('/');
        ReadOnlySpan<char> level;
        int next;
        if (slash < 0)
        {
            level = rest;
            next = -1;
        }
        else
        {
            level = rest[..slash];
            next = pos + slash + 1; // may equal topic.Length: a trailing empty level
        }

        if (node.Children.TryGet(level, out var child))
        {
            Walk(child, topic, next, dollarTopic, ref context);
        }

        var plus = Volatile.Read(ref node.Plus);
        if (plus is not null && wildcardsAllowed)
        {
            Walk(plus, topic, next, dollarTopic, ref context);
        }
    }

    private static void Collect(Node node, ref MatchContext context)
    {
        var subscriptions = Volatile.Read(ref node.Subscriptions);
        foreach (var s in subscriptions)
        {
            if (s.Options.NoLocal && context.Publisher is not null &&
                string.Equals(context.Publisher, s.Client.ClientId, StringComparison.Ordinal))
            {
                continue; // NoLocal: never send a client its own messages (5.0 §3.8.3.1)
            }

            context.Results.AddDirect(s.Client, s.Client.ClientId, s.Options);
        }

        var groups = Volatile.Read(ref node.Groups);
        foreach (var group in groups)
        {
            var picked = group.Pick(context.IsOnline);
            if (picked is not null)
            {
                context.Results.AddShared(picked.Client.ClientId, picked.Options, group.ShareName);
            }
        }
    }

    private Node GetOrCreatePath(ReadOnlySpan<char> filter)
    {
        var node = _root;
        var rest = filter;
        while (true)
        {
            var slash = rest.IndexOf('/');
            var level = slash < 0 ? rest : rest[..slash];
            node = GetOrCreateChild(node, level);
            if (slash < 0)
            {
                return node;
            }

            rest = rest[(slash + 1)..];
        }
    }

    private Node GetOrCreateChild(Node parent, ReadOnlySpan<char> level)
    {
        if (level is "+")
        {
            if (parent.Plus is null)
            {
                Volatile.Write(ref parent.Plus, new Node("+", parent));
                _nodeCount++;
            }

            return parent.Plus;
        }

        if (level is "#")
        {
            if (parent.Hash is null)
            {
                Volatile.Write(ref parent.Hash, new Node("#", parent));
                _nodeCount++;
            }

            return parent.Hash;
        }

        if (!parent.Children.TryGet(level, out var child))
        {
            var name = level.ToString();
            child = new Node(name, parent);
            parent.Children.Add(name, child);
            _nodeCount++;
        }

        return child;
    }

    private Node? FindPath(ReadOnlySpan<char> filter)
    {
        var node = _root;
        var rest = filter;
        while (node is not null)
        {
            var slash = rest.IndexOf('/');
            var level = slash < 0 ? rest : rest[..slash];
            node = level switch
            {
                "+" => node.Plus,
                "#" => node.Hash,
                _ => node.Children.TryGet(level, out var child) ? child : null,
            };

            if (slash < 0)
            {
                return node;
            }

            rest = rest[(slash + 1)..];
        }

        return null;
    }

    private void RemoveLocked(ClientState client, string filter)
    {
        var inner = filter.AsSpan();
        string? shareName = null;
        if (TopicValidator.IsSharedFilter(filter))
        {
            TopicValidator.SplitShared(filter, out var name, out inner);
            shareName = name.ToString();
        }

        var node = FindPath(inner);
        if (node is null)
        {
            return;
        }

        bool removed;
        if (shareName is null)
        {
            removed = RemoveMember(ref node.Subscriptions, client);
        }
        else
        {
            var group = Array.Find(node.Groups, g => string.Equals(g.ShareName, shareName, StringComparison.Ordinal));
            removed = group is not null && RemoveMember(ref group.Members, client);
            if (group is not null && group.Members.Length == 0)
            {
                Volatile.Write(ref node.Groups, Array.FindAll(node.Groups, g => !ReferenceEquals(g, group)));
            }
        }

        if (removed)
        {
            _subscriptionCount--;
        }

        Prune(node);
    }

    /// <summary>Detaches empty nodes from the leaf upwards so unsubscribed branches leave nothing behind.</summary>
    private void Prune(Node node)
    {
        while (node.Parent is { } parent && node.IsEmpty)
        {
            switch (node.Level)
            {
                case "+":
                    Volatile.Write(ref parent.Plus, null);
                    break;
                case "#":
                    Volatile.Write(ref parent.Hash, null);
                    break;
                default:
                    parent.Children.Remove(node.Level);
                    break;
            }

            _nodeCount--;
            node = parent;
        }
    }

    private static bool Upsert(ref Subscription[] array, Subscription subscription)
    {
        var current = array;
        for (var i = 0; i < current.Length; i++)
        {
            if (ReferenceEquals(current[i].Client, subscription.Client))
            {
                var copy = (Subscription[])current.Clone();
                copy[i] = subscription;
                Volatile.Write(ref array, copy);
                return true;
            }
        }

        Volatile.Write(ref array, [.. current, subscription]);
        return false;
    }

    private static bool RemoveMember(ref Subscription[] array, ClientState client)
    {
        var current = array;
        var index = Array.FindIndex(current, s => ReferenceEquals(s.Client, client));
        if (index < 0)
        {
            return false;
        }

        var next = new Subscription[current.Length - 1];
        Array.Copy(current, 0, next, 0, index);
        Array.Copy(current, index + 1, next, index, current.Length - index - 1);
        Volatile.Write(ref array, next);
        return true;
    }

    private readonly ref struct MatchContext(MatchResults results, string? publisher, Func<string, bool>? isOnline)
    {
        public readonly MatchResults Results = results;
        public readonly string? Publisher = publisher;
        public readonly Func<string, bool>? IsOnline = isOnline;
    }

    private sealed class ClientState(string clientId)
    {
        public string ClientId { get; } = clientId;

        /// <summary>Full filters as subscribed ($share/... included). Guarded by the tree's write lock.</summary>
        public HashSet<string> Filters { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Immutable: replacing options publishes a new instance.</summary>
    private sealed class Subscription(ClientState client, SubscriptionOptions options)
    {
        public ClientState Client { get; } = client;

        public SubscriptionOptions Options { get; } = options;
    }

    private sealed class SharedGroup(string shareName)
    {
        public readonly string ShareName = shareName;
        public Subscription[] Members = [];
        private int _cursor = -1;

        /// <summary>Round-robin over members, skipping offline ones; any member if none is online (§4.8.2).</summary>
        public Subscription? Pick(Func<string, bool>? isOnline)
        {
            var members = Volatile.Read(ref Members);
            if (members.Length == 0)
            {
                return null;
            }

            var start = (uint)Interlocked.Increment(ref _cursor);
            var n = (uint)members.Length;
            if (isOnline is null)
            {
                return members[start % n];
            }

            for (uint i = 0; i < n; i++)
            {
                var candidate = members[(start + i) % n];
                if (isOnline(candidate.Client.ClientId))
                {
                    return candidate;
                }
            }

            return members[start % n];
        }
    }

    private sealed class Node(string level, Node? parent)
    {
        public readonly string Level = level;
        public readonly Node? Parent = parent;
        public LevelMap<Node> Children;
        public Node? Plus;
        public Node? Hash;
        public Subscription[] Subscriptions = [];
        public SharedGroup[] Groups = [];

        public bool IsEmpty => Children.Count == 0 && Plus is null && Hash is null && Subscriptions.Length == 0 && Groups.Length == 0;
    }
}
