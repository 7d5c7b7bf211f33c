using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>Source-generated JSON for the intake grain's messages and state, and the task downlink payload.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CaseIntakeRequest))]
[JsonSerializable(typeof(CaseIntakeResult))]
[JsonSerializable(typeof(CaseIntakeState))]
[JsonSerializable(typeof(CaseTask))]
public sealed partial class IntakeJsonContext : JsonSerializerContext;
