namespace GridGov.Realtime.Actors;

/// <summary>
/// A grain's persisted state, injected into the grain's constructor with <see cref="PersistentStateAttribute"/>.
/// Read before <c>OnActivateAsync</c>. Writes are optimistic: a writer whose <see cref="ETag"/> is stale
/// gets an <see cref="InconsistentStateException"/>, never a silent overwrite.
/// </summary>
public interface IPersistentState<TState> where TState : new()
{
    TState State { get; set; }
    string? ETag { get; }
    bool RecordExists { get; }
    Task ReadStateAsync(CancellationToken cancellationToken = default);
    Task WriteStateAsync(CancellationToken cancellationToken = default);
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}

/// <summary>Names the state for a constructor parameter of type <see cref="IPersistentState{TState}"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    public string StateName { get; } = stateName;
}
