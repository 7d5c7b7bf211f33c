using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Sensors;

/// <summary>Source-generated JSON for the sensor grain's messages and state.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SensorEvent))]
[JsonSerializable(typeof(SensorHeartbeat))]
[JsonSerializable(typeof(SensorState))]
[JsonSerializable(typeof(SensorWindow))]
[JsonSerializable(typeof(SensorSnapshot))]
public sealed partial class SensorsJsonContext : JsonSerializerContext;
