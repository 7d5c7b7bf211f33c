using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>
/// Parses terminal uplink payloads (DESIGN.md topic scheme) with <see cref="Utf8JsonReader"/>: no
/// reflection, no intermediate DOM, one array allocated per position payload. Never throws for bad
/// input: it returns false with a reason that names the offending fix and field.
/// </summary>
/// <remarks>
/// <c>ts</c> is Unix time as a number (below 10¹¹ read as seconds, otherwise milliseconds; fractions
/// allowed) or an ISO 8601 string with an offset. It must lie within
/// [now − <see cref="TrackingOptions.MaxFixAge"/>, now + <see cref="TrackingOptions.MaxFutureSkew"/>].
/// Unknown properties are ignored (terminals may add fields); duplicate known ones: the last wins.
/// </remarks>
public sealed class TerminalPayloadParser(TrackingOptions options, TimeProvider time)
{
    private const int MaxDepth = 8;
    private const int MaxNoteLength = 500;
    private const double SecondsMillisBoundary = 1e11;

    /// <summary>Parses one fix object or an array of them (at most <see cref="TrackingOptions.MaxFixesPerPayload"/>).</summary>
    public bool TryParsePositions(ReadOnlySpan<byte> utf8, out PositionFix[] fixes, out string? error)
    {
        fixes = [];
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        var window = Window();
        try
        {
            if (!reader.Read()) return Fail("Payload is empty.", out error);
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (!TryReadFix(ref reader, window, 0, out var fix, out error)) return false;
                if (!AtEnd(ref reader, out error)) return false;
                fixes = [fix];
                return true;
            }
            if (reader.TokenType != JsonTokenType.StartArray) return Fail("Payload must be a fix object or an array of fix objects.", out error);

            var max = options.MaxFixesPerPayload;
            var buffer = ArrayPool<PositionFix>.Shared.Rent(Math.Min(max, 64));
            var count = 0;
            try
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) return Fail($"Element {count} is not a fix object.", out error);
                    if (count == max) return Fail($"Payload has more than {max} fixes.", out error);
                    if (!TryReadFix(ref reader, window, count, out var fix, out error)) return false;
                    if (count == buffer.Length)
                    {
                        var bigger = ArrayPool<PositionFix>.Shared.Rent(Math.Min(max, buffer.Length * 2));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<PositionFix>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    buffer[count++] = fix;
                }
                if (reader.TokenType != JsonTokenType.EndArray) return Fail("Payload ends inside the array.", out error);
                if (count == 0) return Fail("Payload is an empty array.", out error);
                if (!AtEnd(ref reader, out error)) return false;
                fixes = buffer.AsSpan(0, count).ToArray();
                return true;
            }
            finally
            {
                ArrayPool<PositionFix>.Shared.Return(buffer);
            }
        }
        catch (JsonException ex)
        {
            return Fail($"Malformed JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}", out error);
        }
    }

    /// <summary>Parses <c>{lat, lon, ts, note?}</c>.</summary>
    public bool TryParseSos(ReadOnlySpan<byte> utf8, out SosSignal? sos, out string? error)
    {
        sos = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        var window = Window();
        try
        {
            if (!reader.Read()) return Fail("Payload is empty.", out error);
            if (reader.TokenType != JsonTokenType.StartObject) return Fail("SOS payload must be an object {lat, lon, ts, note?}.", out error);
            double lat = double.NaN, lon = double.NaN;
            long ts = 0;
            var hasTs = false;
            string? note = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("lat"u8)) { reader.Read(); if (!TryNumber(ref reader, "lat", out lat, out error)) return false; }
                else if (reader.ValueTextEquals("lon"u8)) { reader.Read(); if (!TryNumber(ref reader, "lon", out lon, out error)) return false; }
                else if (reader.ValueTextEquals("ts"u8)) { reader.Read(); if (!TryTimestamp(ref reader, out ts, out error)) return false; hasTs = true; }
                else if (reader.ValueTextEquals("note"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) note = null;
                    else if (reader.TokenType != JsonTokenType.String) return Fail("note must be a string.", out error);
                    else
                    {
                        note = reader.GetString();
                        if (note!.Length > MaxNoteLength) return Fail($"note is longer than {MaxNoteLength} characters.", out error);
                    }
                }
                else { reader.Read(); reader.Skip(); }
            }
            if (reader.TokenType != JsonTokenType.EndObject) return Fail("Payload ends inside the object.", out error);
            if (!AtEnd(ref reader, out error)) return false;
            if (!CheckPosition(lat, lon, hasTs, ts, window, "", out error)) return false;
            sos = new SosSignal(lat, lon, ts, note);
            return true;
        }
        catch (JsonException ex)
        {
            return Fail($"Malformed JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}", out error);
        }
    }

    private (long Min, long Max) Window()
    {
        var now = time.GetUtcNow();
        return ((now - options.MaxFixAge).ToUnixTimeMilliseconds(), (now + options.MaxFutureSkew).ToUnixTimeMilliseconds());
    }

    private static bool TryReadFix(ref Utf8JsonReader reader, (long Min, long Max) window, int index, out PositionFix fix, out string? error)
    {
        fix = default;
        double lat = double.NaN, lon = double.NaN;
        double? acc = null, spd = null, hdg = null;
        int? bat = null;
        long ts = 0;
        var hasTs = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("lat"u8)) { reader.Read(); if (!TryNumber(ref reader, "lat", out lat, out error)) return At(index, ref error); }
            else if (reader.ValueTextEquals("lon"u8)) { reader.Read(); if (!TryNumber(ref reader, "lon", out lon, out error)) return At(index, ref error); }
            else if (reader.ValueTextEquals("ts"u8)) { reader.Read(); if (!TryTimestamp(ref reader, out ts, out error)) return At(index, ref error); hasTs = true; }
            else if (reader.ValueTextEquals("acc"u8)) { reader.Read(); if (!TryOptional(ref reader, "acc", out acc, out error)) return At(index, ref error); }
            else if (reader.ValueTextEquals("spd"u8)) { reader.Read(); if (!TryOptional(ref reader, "spd", out spd, out error)) return At(index, ref error); }
            else if (reader.ValueTextEquals("hdg"u8)) { reader.Read(); if (!TryOptional(ref reader, "hdg", out hdg, out error)) return At(index, ref error); }
            else if (reader.ValueTextEquals("bat"u8))
            {
                reader.Read();
                if (!TryOptional(ref reader, "bat", out var b, out error)) return At(index, ref error);
                if (b is { } v)
                {
                    if (v is < 0 or > 100) { error = "bat must be within 0–100."; return At(index, ref error); }
                    bat = (int)Math.Round(v);
                }
            }
            else { reader.Read(); reader.Skip(); }
        }
        if (reader.TokenType != JsonTokenType.EndObject) { error = "Payload ends inside a fix."; return false; }
        if (!CheckPosition(lat, lon, hasTs, ts, window, "", out error)) return At(index, ref error);
        if (acc is < 0) { error = "acc must be ≥ 0 metres."; return At(index, ref error); }
        if (spd is < 0) { error = "spd must be ≥ 0 m/s."; return At(index, ref error); }
        if (hdg is < 0 or > 360) { error = "hdg must be within 0–360 degrees."; return At(index, ref error); }
        fix = new PositionFix(lat, lon, acc, spd, hdg, bat, ts);
        return true;
    }

    /// <summary>Range checks shared by fixes, SOS and the OsmAnd endpoint.</summary>
    internal static bool CheckPosition(double lat, double lon, bool hasTs, long ts, (long Min, long Max) window, string prefix, out string? error)
    {
        if (double.IsNaN(lat)) return Fail($"{prefix}lat is required.", out error);
        if (double.IsNaN(lon)) return Fail($"{prefix}lon is required.", out error);
        if (!hasTs) return Fail($"{prefix}ts is required.", out error);
        if (lat is < -90 or > 90) return Fail($"{prefix}lat must be within −90–90 degrees.", out error);
        if (lon is < -180 or > 180) return Fail($"{prefix}lon must be within −180–180 degrees.", out error);
        if (ts < window.Min) return Fail($"{prefix}ts is too old (more than the allowed fix age before the server clock).", out error);
        if (ts > window.Max) return Fail($"{prefix}ts is in the future (beyond the allowed clock skew).", out error);
        error = null;
        return true;
    }

    /// <summary>
    /// Builds a fix from loose values (the OsmAnd endpoint's query parameters) with the same checks as a
    /// payload. <paramref name="timestamp"/>: Unix seconds or milliseconds, or ISO 8601 with an offset; null means now.
    /// </summary>
    public bool TryCreateFix(double lat, double lon, double? acc, double? spd, double? hdg, double? bat, string? timestamp, out PositionFix fix, out string? error)
    {
        fix = default;
        long ts;
        if (timestamp is null) ts = time.GetUtcNow().ToUnixTimeMilliseconds();
        else if (double.TryParse(timestamp, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n >= 0) ts = UnixToMillis(n);
        else if (!TryIso8601(timestamp, out ts)) return Fail("timestamp must be Unix seconds or milliseconds, or ISO 8601 with an offset.", out error);
        if (!CheckPosition(lat, lon, true, ts, Window(), "", out error)) return false;
        if (acc is < 0 || acc is { } a && !double.IsFinite(a)) return Fail("accuracy must be ≥ 0 metres.", out error);
        if (spd is < 0 || spd is { } s && !double.IsFinite(s)) return Fail("speed must be ≥ 0.", out error);
        if (hdg is < 0 or > 360) return Fail("bearing must be within 0–360 degrees.", out error);
        if (bat is < 0 or > 100) return Fail("batt must be within 0–100.", out error);
        fix = new PositionFix(lat, lon, acc, spd, hdg, bat is { } b ? (int)Math.Round(b) : null, ts);
        return true;
    }

    private static bool TryNumber(ref Utf8JsonReader reader, string name, out double value, out string? error)
    {
        value = double.NaN;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value))
            return Fail($"{name} must be a number.", out error);
        error = null;
        return true;
    }

    private static bool TryOptional(ref Utf8JsonReader reader, string name, out double? value, out string? error)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) { error = null; return true; }
        if (!TryNumber(ref reader, name, out var v, out error)) return false;
        value = v;
        return true;
    }

    private static bool TryTimestamp(ref Utf8JsonReader reader, out long unixMs, out string? error)
    {
        unixMs = 0;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var n) && double.IsFinite(n) && n >= 0)
        {
            unixMs = UnixToMillis(n);
            error = null;
            return true;
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            Span<char> chars = stackalloc char[64];
            if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= 64
                && System.Text.Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var written)
                && TryIso8601(chars[..written], out unixMs))
            {
                error = null;
                return true;
            }
        }
        return Fail("ts must be Unix seconds or milliseconds, or an ISO 8601 time with an offset.", out error);
    }

    /// <summary>Unix seconds below 10¹¹ (year 5138), milliseconds above: no plausible fix time is ambiguous.</summary>
    internal static long UnixToMillis(double value) =>
        value < SecondsMillisBoundary ? (long)Math.Round(value * 1000) : (long)Math.Round(value);

    internal static bool TryIso8601(ReadOnlySpan<char> text, out long unixMs)
    {
        // An ISO time without an offset would be read in the server's zone: refuse it rather than guess.
        if (text.Length < 11 || !(text[^1] is 'Z' or 'z' || text[^6] is '+' or '-'))
        {
            unixMs = 0;
            return false;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dto))
        {
            unixMs = dto.ToUnixTimeMilliseconds();
            return true;
        }
        unixMs = 0;
        return false;
    }

    private static bool AtEnd(ref Utf8JsonReader reader, out string? error)
    {
        if (reader.Read()) return Fail("Unexpected data after the payload.", out error);
        error = null;
        return true;
    }

    private static bool At(int index, ref string? error)
    {
        error = $"Fix {index}: {error}";
        return false;
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
