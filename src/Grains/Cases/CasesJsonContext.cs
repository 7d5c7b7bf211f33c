using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>Source-generated JSON for case messages, grain state and the stored events (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(CaseEvent))]
[JsonSerializable(typeof(CaseCommand))]
[JsonSerializable(typeof(CaseCommandResult))]
[JsonSerializable(typeof(CaseView))]
[JsonSerializable(typeof(CaseAuditEntry))]
[JsonSerializable(typeof(IReadOnlyList<CaseAuditEntry>))]
[JsonSerializable(typeof(List<CaseAuditEntry>))]
[JsonSerializable(typeof(List<CaseView>))]
[JsonSerializable(typeof(CaseNumberState))]
public sealed partial class CasesJsonContext : JsonSerializerContext;
