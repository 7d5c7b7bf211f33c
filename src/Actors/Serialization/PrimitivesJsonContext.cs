using System.Text.Json.Serialization;

namespace GridGov.Realtime.Actors.Serialization;

/// <summary>Primitive message arguments every grain interface may use without registering them.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(TimeSpan))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(TimeSpan?))]
[JsonSerializable(typeof(DateTimeOffset?))]
[JsonSerializable(typeof(int?))]
internal sealed partial class PrimitivesJsonContext : JsonSerializerContext;
