using System.Text.Json;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Tracking;

namespace GridGov.Realtime.Grains.Sensors;

/// <summary>
/// Parses sensor uplink payloads (DESIGN.md topic scheme) with <see cref="Utf8JsonReader"/>. Pure apart
/// from reading the clock; never throws for bad input: it returns false with a reason naming the field.
/// </summary>
/// <remarks>
/// Event: <c>{type, severity, ts, lat?, lon?, media?}</c>. <c>type</c> is 1–64 of [a-z0-9_] (case-folded);
/// <c>severity</c> an integer 1–5 or one of info, low, medium, high, critical; <c>ts</c> Unix seconds or
/// milliseconds or ISO 8601 with an offset, within [now − MaxEventAge, now + MaxFutureSkew]; lat and lon
/// both or neither; <c>media</c> one reference or an array of at most <see cref="MaxMedia"/> (URL or
/// storage key, no spaces, at most 1024 characters). Heartbeat: <c>{ts, status?}</c>, status at most 64
/// characters. Unknown properties are ignored; duplicates of known ones: the last wins.
/// </remarks>
public sealed class SensorPayloadParser(SensorEventRulesOptions options, TimeProvider time)
{
    public const int MaxTypeLength = 64;
    public const int MaxMedia = 10;
    public const int MaxStatusLength = 64;
    private const int MaxDepth = 8;

    private static readonly string[] SeverityNames = ["info", "low", "medium", "high", "critical"];
    private static readonly System.Buffers.SearchValues<char> TypeChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    public static bool IsEventType(string? type) =>
        type is { Length: > 0 and <= MaxTypeLength } && type.AsSpan().IndexOfAnyExcept(TypeChars) < 0;

    public bool TryParseEvent(ReadOnlySpan<byte> utf8, out SensorEvent? sensorEvent, out string? error)
    {
        sensorEvent = null;
        if (utf8.IsEmpty) return Fail("Payload is empty.", out error);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read()) return Fail("Payload is empty.", out error);
            if (reader.TokenType != JsonTokenType.StartObject) return Fail("Event payload must be an object {type, severity, ts, lat?, lon?, media?}.", out error);
            string? type = null;
            int? severity = null;
            long ts = 0;
            var hasTs = false;
            double? lat = null, lon = null;
            List<string>? media = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) return Fail("type must be a string.", out error);
                    type = reader.GetString()!.Trim().ToLowerInvariant();
                    if (!IsEventType(type)) return Fail($"type must be 1–{MaxTypeLength} letters, digits or '_' (e.g. manhole_cover_open).", out error);
                }
                else if (reader.ValueTextEquals("severity"u8)) { reader.Read(); if (!TrySeverity(ref reader, out severity, out error)) return false; }
                else if (reader.ValueTextEquals("ts"u8)) { reader.Read(); if (!TryTimestamp(ref reader, out ts, out error)) return false; hasTs = true; }
                else if (reader.ValueTextEquals("lat"u8)) { reader.Read(); if (!TryOptional(ref reader, "lat", out lat, out error)) return false; }
                else if (reader.ValueTextEquals("lon"u8)) { reader.Read(); if (!TryOptional(ref reader, "lon", out lon, out error)) return false; }
                else if (reader.ValueTextEquals("media"u8)) { reader.Read(); if (!TryMedia(ref reader, out media, out error)) return false; }
                else { reader.Read(); reader.Skip(); }
            }
            if (reader.TokenType != JsonTokenType.EndObject) return Fail("Payload ends inside the object.", out error);
            if (!AtEnd(ref reader, out error)) return false;
            if (type is null) return Fail("type is required.", out error);
            if (severity is not { } level) return Fail("severity is required (1–5 or info, low, medium, high, critical).", out error);
            if (!hasTs) return Fail("ts is required.", out error);
            if (!CheckTime(ts, out error)) return false;
            if ((lat is null) != (lon is null)) return Fail("Give both lat and lon, or neither.", out error);
            if (lat is < -90 or > 90) return Fail("lat must be within −90–90 degrees.", out error);
            if (lon is < -180 or > 180) return Fail("lon must be within −180–180 degrees.", out error);
            sensorEvent = new SensorEvent(type, level, ts, lat, lon, media is null ? [] : [.. media]);
            return true;
        }
        catch (JsonException ex)
        {
            return Fail($"Malformed JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}", out error);
        }
    }

    public bool TryParseHeartbeat(ReadOnlySpan<byte> utf8, out SensorHeartbeat? heartbeat, out string? error)
    {
        heartbeat = null;
        if (utf8.IsEmpty) return Fail("Payload is empty.", out error);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read()) return Fail("Payload is empty.", out error);
            if (reader.TokenType != JsonTokenType.StartObject) return Fail("Heartbeat payload must be an object {ts, status?}.", out error);
            long ts = 0;
            var hasTs = false;
            string? status = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("ts"u8)) { reader.Read(); if (!TryTimestamp(ref reader, out ts, out error)) return false; hasTs = true; }
                else if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) status = null;
                    else if (reader.TokenType != JsonTokenType.String) return Fail("status must be a string.", out error);
                    else
                    {
                        status = reader.GetString()!.Trim();
                        if (status.Length > MaxStatusLength || status.Any(char.IsControl)) return Fail($"status is at most {MaxStatusLength} printable characters.", out error);
                        if (status.Length == 0) status = null;
                    }
                }
                else { reader.Read(); reader.Skip(); }
            }
            if (reader.TokenType != JsonTokenType.EndObject) return Fail("Payload ends inside the object.", out error);
            if (!AtEnd(ref reader, out error)) return false;
            if (!hasTs) return Fail("ts is required.", out error);
            if (!CheckTime(ts, out error)) return false;
            heartbeat = new SensorHeartbeat(ts, status);
            return true;
        }
        catch (JsonException ex)
        {
            return Fail($"Malformed JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}", out error);
        }
    }

    private bool CheckTime(long ts, out string? error)
    {
        var now = time.GetUtcNow();
        if (ts < (now - options.MaxEventAge).ToUnixTimeMilliseconds()) return Fail("ts is too old (more than the allowed event age before the server clock).", out error);
        if (ts > (now + options.MaxFutureSkew).ToUnixTimeMilliseconds()) return Fail("ts is in the future (beyond the allowed clock skew).", out error);
        error = null;
        return true;
    }

    private static bool TrySeverity(ref Utf8JsonReader reader, out int? severity, out string? error)
    {
        severity = null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out var n) && n is >= SensorEventRulesOptions.MinSeverity and <= SensorEventRulesOptions.MaxSeverity)
            {
                severity = n;
                error = null;
                return true;
            }
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            var name = reader.GetString()!.Trim();
            var index = Array.FindIndex(SeverityNames, s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                severity = index + 1;
                error = null;
                return true;
            }
        }
        return Fail("severity must be an integer 1–5 or one of info, low, medium, high, critical.", out error);
    }

    private static bool TryMedia(ref Utf8JsonReader reader, out List<string>? media, out string? error)
    {
        media = null;
        if (reader.TokenType == JsonTokenType.Null) { error = null; return true; }
        if (reader.TokenType == JsonTokenType.String)
        {
            media = [];
            return TryMediaItem(ref reader, media, 0, out error);
        }
        if (reader.TokenType != JsonTokenType.StartArray) return Fail("media must be a reference (string) or an array of references.", out error);
        media = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (media.Count == MaxMedia) return Fail($"media has more than {MaxMedia} references.", out error);
            if (reader.TokenType != JsonTokenType.String) return Fail($"media[{media.Count}] must be a string.", out error);
            if (!TryMediaItem(ref reader, media, media.Count, out error)) return false;
        }
        error = null;
        return true;
    }

    private static bool TryMediaItem(ref Utf8JsonReader reader, List<string> media, int index, out string? error)
    {
        var value = reader.GetString()!;
        if (value.Length is 0 or > CaseWorkflow.MaxAttachmentLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return Fail($"media[{index}] must be a reference (URL or storage key) of 1–{CaseWorkflow.MaxAttachmentLength} characters without spaces.", out error);
        media.Add(value);
        error = null;
        return true;
    }

    private static bool TryOptional(ref Utf8JsonReader reader, string name, out double? value, out string? error)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) { error = null; return true; }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var v) || !double.IsFinite(v)) return Fail($"{name} must be a number.", out error);
        value = v;
        error = null;
        return true;
    }

    private static bool TryTimestamp(ref Utf8JsonReader reader, out long unixMs, out string? error)
    {
        unixMs = 0;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var n) && double.IsFinite(n) && n >= 0)
        {
            unixMs = TerminalPayloadParser.UnixToMillis(n);
            error = null;
            return true;
        }
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: <= 64 } text && TerminalPayloadParser.TryIso8601(text, out unixMs))
        {
            error = null;
            return true;
        }
        return Fail("ts must be Unix seconds or milliseconds, or an ISO 8601 time with an offset.", out error);
    }

    private static bool AtEnd(ref Utf8JsonReader reader, out string? error)
    {
        if (reader.Read()) return Fail("Unexpected data after the payload.", out error);
        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot < 0 ? message : message[..(dot + 1)];
    }
}
