using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>Source-generated JSON for the tracking grains' messages and state.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PositionFix))]
[JsonSerializable(typeof(PositionFix[]))]
[JsonSerializable(typeof(SosSignal))]
[JsonSerializable(typeof(WorkerSnapshot))]
[JsonSerializable(typeof(WorkerState))]
[JsonSerializable(typeof(WorkerPresence))]
[JsonSerializable(typeof(AlertMark))]
[JsonSerializable(typeof(CountersDelta))]
[JsonSerializable(typeof(RegionCountersSnapshot))]
[JsonSerializable(typeof(GridSnapshot))]
[JsonSerializable(typeof(bool))]
public sealed partial class TrackingJsonContext : JsonSerializerContext;
