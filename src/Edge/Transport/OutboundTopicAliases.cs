namespace GridGov.Realtime.Edge.Transport;

/// <summary>
/// Topic aliases the broker assigns to the topics it sends on one 5.0 connection (5.0 §3.3.2.3.4): the first PUBLISH
/// of a topic carries the topic and binds an alias, later ones carry only the alias. When every alias is bound, the
/// least recently used is rebound. Mappings live and die with the connection. Used only by the write loop.
/// </summary>
internal sealed class OutboundTopicAliases(int maximum)
{
    private readonly Dictionary<string, LinkedListNode<Binding>> _byTopic = new(StringComparer.Ordinal);
    private readonly LinkedList<Binding> _recent = new();

    /// <summary>The alias for <paramref name="topic"/>; <paramref name="bound"/> false when the topic must be sent with it.</summary>
    public ushort Resolve(string topic, out bool bound)
    {
        if (_byTopic.TryGetValue(topic, out var node))
        {
            bound = true;
            if (node != _recent.First)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
            }

            return node.Value.Alias;
        }

        bound = false;
        if (_byTopic.Count < maximum) node = new LinkedListNode<Binding>(new Binding(topic, (ushort)(_byTopic.Count + 1)));
        else
        {
            node = _recent.Last!;
            _recent.RemoveLast();
            _byTopic.Remove(node.Value.Topic);
            node.Value = node.Value with { Topic = topic };
        }

        _recent.AddFirst(node);
        _byTopic[topic] = node;
        return node.Value.Alias;
    }

    private readonly record struct Binding(string Topic, ushort Alias);
}
