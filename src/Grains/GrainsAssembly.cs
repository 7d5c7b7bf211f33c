using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains;

/// <summary>Anchor for registering this assembly's grains with the runtime.</summary>
public static class GrainsAssembly;

/// <summary>Source-generated JSON for every grain state and message type of the domain.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(string))]
public sealed partial class GrainsJsonContext : JsonSerializerContext;
