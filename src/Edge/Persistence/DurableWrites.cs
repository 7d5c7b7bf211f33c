namespace GridGov.Realtime.Edge.Persistence;

/// <summary>
/// The store writes one publish caused (retained store, persistent session queues), collected while routing so the
/// PUBACK waits for them all. Completed writes (the in-memory store) are not kept, so routing to clean sessions and
/// QoS 0 costs nothing.
/// </summary>
internal struct DurableWrites
{
    private Task? _first;
    private List<Task>? _more;

    public void Add(Task write)
    {
        if (write.IsCompletedSuccessfully) return;
        if (_first is null) _first = write;
        else (_more ??= []).Add(write);
    }

    /// <summary>Null when nothing is waiting to become durable.</summary>
    public readonly Task? Pending => _more is null ? _first : Task.WhenAll([_first!, .. _more]);
}
