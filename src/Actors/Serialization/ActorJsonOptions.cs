using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GridGov.Realtime.Actors.Serialization;

/// <summary>
/// The one JSON configuration for grain state and messages. Only source-generated contexts are
/// chained in (no reflection fallback), so a type that cannot cross a process boundary is found at
/// its first use with a clear error, not in production under cluster mode.
/// </summary>
public sealed class ActorJsonOptions
{
    public ActorJsonOptions(IEnumerable<IJsonTypeInfoResolver> resolvers)
    {
        Options = new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers, PrimitivesJsonContext.Default]) };
        Options.MakeReadOnly();
    }

    public JsonSerializerOptions Options { get; }

    public JsonTypeInfo GetTypeInfo(Type type)
    {
        try
        {
            return Options.GetTypeInfo(type);
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidOperationException(
                $"{type.FullName} is not in any registered JsonSerializerContext. Add [JsonSerializable(typeof({type.Name}))] to the " +
                "assembly's context and register it with AddJsonContext so it can be persisted and sent between processes.", ex);
        }
    }

    public JsonTypeInfo<T> GetTypeInfo<T>() => (JsonTypeInfo<T>)GetTypeInfo(typeof(T));
}
