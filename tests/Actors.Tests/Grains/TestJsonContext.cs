using System.Text.Json.Serialization;

namespace GridGov.Realtime.Actors.Tests.Grains;

[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(CounterState))]
[JsonSerializable(typeof(ProfileState))]
[JsonSerializable(typeof(ReminderLog))]
[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

public sealed record Greeting(string From, string Text);
