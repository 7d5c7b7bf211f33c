using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>Source-generated JSON for responder messages, grain state and the MQTT notice (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(EscalationSubject))]
[JsonSerializable(typeof(AcknowledgeEscalation))]
[JsonSerializable(typeof(EscalationResult))]
[JsonSerializable(typeof(EscalationView))]
[JsonSerializable(typeof(EscalationState))]
[JsonSerializable(typeof(EscalationNotice))]
[JsonSerializable(typeof(EscalationIndexEntry))]
[JsonSerializable(typeof(IReadOnlyList<EscalationIndexEntry>))]
[JsonSerializable(typeof(List<EscalationIndexEntry>))]
[JsonSerializable(typeof(EscalationRegistryState))]
[JsonSerializable(typeof(SetOnCallRoster))]
[JsonSerializable(typeof(OnCallRoster))]
[JsonSerializable(typeof(OnCallRosterState))]
public sealed partial class RespondersJsonContext : JsonSerializerContext;
