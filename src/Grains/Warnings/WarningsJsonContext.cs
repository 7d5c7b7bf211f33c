using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>Source-generated JSON for warning messages, grain state and the retained MQTT payload (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IssueWarning))]
[JsonSerializable(typeof(ChangeWarning))]
[JsonSerializable(typeof(LiftWarning))]
[JsonSerializable(typeof(WarningResult))]
[JsonSerializable(typeof(WarningView))]
[JsonSerializable(typeof(IReadOnlyList<WarningView>))]
[JsonSerializable(typeof(List<WarningView>))]
[JsonSerializable(typeof(WarningHistoryEntry))]
[JsonSerializable(typeof(IReadOnlyList<WarningHistoryEntry>))]
[JsonSerializable(typeof(List<WarningHistoryEntry>))]
[JsonSerializable(typeof(WarningRegionState))]
[JsonSerializable(typeof(RegionWarningSignal))]
[JsonSerializable(typeof(EffectiveWarning))]
[JsonSerializable(typeof(WarningRegistryState))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(bool))]
public sealed partial class WarningsJsonContext : JsonSerializerContext;
