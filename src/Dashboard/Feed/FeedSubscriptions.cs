namespace GridGov.Realtime.Dashboard.Feed;

/// <summary>
/// Which region scopes have subscribers right now, so the feed buffers and sends only for those.
/// Kept beside the hub (hubs hold no state): the hub reports subscribe, unsubscribe and disconnect.
/// </summary>
public sealed class FeedSubscriptions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byConnection = new(StringComparer.Ordinal);
    private volatile int _total;

    /// <summary>The SignalR group of a region scope ("" is the whole system).</summary>
    public static string GroupName(string scope) => "scope:" + scope;

    /// <summary>Total subscriptions (connection × scope).</summary>
    public int Total => _total;

    public bool HasSubscribers(string scope)
    {
        lock (_gate) return _counts.ContainsKey(scope);
    }

    public int SubscriberCount(string scope)
    {
        lock (_gate) return _counts.GetValueOrDefault(scope);
    }

    /// <summary>The subscribed scopes whose code starts with <paramref name="prefix"/> (the regions below a region).</summary>
    public IReadOnlyList<string> ScopesStartingWith(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate) return [.. _counts.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))];
    }

    /// <summary>Records a subscription; false when the connection already had it.</summary>
    public bool Add(string connectionId, string scope)
    {
        lock (_gate)
        {
            if (!_byConnection.TryGetValue(connectionId, out var scopes)) _byConnection[connectionId] = scopes = new(StringComparer.Ordinal);
            if (!scopes.Add(scope)) return false;
            _counts[scope] = _counts.GetValueOrDefault(scope) + 1;
            _total++;
            return true;
        }
    }

    /// <summary>Removes a subscription; false when the connection did not have it.</summary>
    public bool Remove(string connectionId, string scope)
    {
        lock (_gate)
        {
            if (!_byConnection.TryGetValue(connectionId, out var scopes) || !scopes.Remove(scope)) return false;
            if (scopes.Count == 0) _byConnection.Remove(connectionId);
            Decrement(scope);
            return true;
        }
    }

    /// <summary>Forgets every subscription of a closed connection (SignalR drops it from its groups itself).</summary>
    public void RemoveConnection(string connectionId)
    {
        lock (_gate)
        {
            if (!_byConnection.Remove(connectionId, out var scopes)) return;
            foreach (var scope in scopes) Decrement(scope);
        }
    }

    private void Decrement(string scope)
    {
        var left = _counts[scope] - 1;
        if (left == 0) _counts.Remove(scope);
        else _counts[scope] = left;
        _total--;
    }
}
