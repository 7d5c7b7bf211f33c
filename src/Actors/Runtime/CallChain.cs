namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// The activations waiting on the current request, innermost first. Carried with every request
/// message (it is plain data, so it can cross a process boundary) and checked before a request is
/// sent: calling an activation that is already in the chain can only deadlock, because that
/// activation is busy awaiting this very chain. One-way messages start a new chain.
/// </summary>
internal sealed class CallChain(GrainId grainId, CallChain? parent)
{
    private static readonly AsyncLocal<CallChain?> s_current = new();

    public GrainId GrainId { get; } = grainId;
    public CallChain? Parent { get; } = parent;

    /// <summary>The chain of the turn running on this logical flow; null outside grain code.</summary>
    public static CallChain? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    public bool Contains(GrainId id)
    {
        for (var c = this; c is not null; c = c.Parent)
        {
            if (c.GrainId == id) return true;
        }
        return false;
    }

    public string Describe(GrainId next)
    {
        var ids = new List<string>();
        for (var c = this; c is not null; c = c.Parent) ids.Add(c.GrainId.ToString());
        ids.Reverse();
        ids.Add(next.ToString());
        return string.Join(" -> ", ids);
    }
}
