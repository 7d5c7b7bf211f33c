namespace GridGov.Realtime.Actors;

/// <summary>
/// The identity of a grain: its grain type name (stable, used by storage and routing) and a string key.
/// A grain with this identity always exists virtually; an activation is created on first message.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
