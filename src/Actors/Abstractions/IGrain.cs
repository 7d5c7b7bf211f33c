namespace GridGov.Realtime.Actors;

/// <summary>Marker for grain interfaces. Every method returns Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key, as in Orleans.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>Creates proxies: a proxy turns interface calls into messages to the grain's activation.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}

/// <summary>
/// Marks a grain method as fire-and-forget: the proxy returns a completed task at once and the
/// caller never waits. Use it for upward notifications (worker → grid → region) so call cycles
/// cannot deadlock and a slow receiver never holds up the sender.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;

/// <summary>Overrides the grain type name used in <see cref="GrainId"/> and storage (default: class name without "Grain", lower case).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
