using System.Text.Json;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Tracking;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>
/// Parses and range-checks a field report payload (<see cref="FieldReport"/>). Never throws for bad input: false with
/// a reason naming the field. Unknown properties are ignored (terminals may add fields). <c>ts</c> takes the same forms
/// as a position fix (Unix seconds or milliseconds, or ISO 8601 with an offset) and must lie within
/// [now − <see cref="IntakeOptions.MaxReportAge"/>, now + <see cref="IntakeOptions.MaxFutureSkew"/>].
/// </summary>
public sealed class FieldReportParser(IOptions<IntakeOptions> options, TimeProvider time)
{
    private static readonly JsonDocumentOptions Document = new() { MaxDepth = 4 };

    public bool TryParse(ReadOnlySpan<byte> utf8, out FieldReport? report, out string? error)
    {
        report = null;
        var o = options.Value;
        if (utf8.Length == 0) return Fail("Payload is empty.", out error);
        if (utf8.Length > o.MaxReportBytes) return Fail($"Payload is larger than {o.MaxReportBytes} bytes.", out error);
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = Document.MaxDepth });
            doc = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) return Fail("Unexpected data after the report object.", out error);
        }
        catch (JsonException ex)
        {
            return Fail($"Malformed JSON: {ex.Message.Split(". ")[0]}.", out error);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail("The report must be a JSON object {category, description, lat, lon, ts, ...}.", out error);
            if (!Text(root, "category", required: true, out var category, out error)
                || !Text(root, "kind", required: false, out var kind, out error)
                || !Text(root, "description", required: true, out var description, out error)
                || !Text(root, "urgency", required: false, out var urgency, out error)
                || !Text(root, "requestId", required: false, out var requestId, out error)
                || !Number(root, "lat", -90, 90, out var lat, out error)
                || !Number(root, "lon", -180, 180, out var lon, out error)
                || !Timestamp(root, o, out var ts, out error)
                || !Photos(root, out var photos, out error))
            {
                return false;
            }
            if (description!.Length > CaseWorkflow.MaxNoteLength) return Fail($"description is longer than {CaseWorkflow.MaxNoteLength} characters.", out error);
            if (requestId is not null && CaseWorkflow.Text.InvalidId(requestId)) return Fail($"requestId must be 1–{CaseWorkflow.MaxIdLength} characters without spaces.", out error);
            report = new FieldReport(category!, kind, description, lat, lon, ts, urgency, photos, requestId);
            error = null;
            return true;
        }
    }

    private static bool Text(JsonElement root, string name, bool required, out string? value, out string? error)
    {
        value = null;
        if (!root.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
            return required ? Fail($"{name} is required.", out error) : Ok(out error);
        if (p.ValueKind != JsonValueKind.String) return Fail($"{name} must be a string.", out error);
        var text = p.GetString()!.Trim();
        if (text.Length == 0) return required ? Fail($"{name} must not be empty.", out error) : Ok(out error);
        value = text;
        return Ok(out error);
    }

    private static bool Number(JsonElement root, string name, double min, double max, out double value, out string? error)
    {
        value = double.NaN;
        if (!root.TryGetProperty(name, out var p)) return Fail($"{name} is required.", out error);
        if (p.ValueKind != JsonValueKind.Number || !p.TryGetDouble(out value) || !double.IsFinite(value)) return Fail($"{name} must be a number.", out error);
        if (value < min || value > max) return Fail($"{name} must be within {min}–{max} degrees.", out error);
        return Ok(out error);
    }

    private bool Timestamp(JsonElement root, IntakeOptions o, out long unixMs, out string? error)
    {
        unixMs = 0;
        if (!root.TryGetProperty("ts", out var p)) return Fail("ts is required.", out error);
        if (p.ValueKind == JsonValueKind.Number && p.TryGetDouble(out var n) && double.IsFinite(n) && n >= 0) unixMs = TerminalPayloadParser.UnixToMillis(n);
        else if (p.ValueKind != JsonValueKind.String || !TerminalPayloadParser.TryIso8601(p.GetString(), out unixMs))
            return Fail("ts must be Unix seconds or milliseconds, or an ISO 8601 time with an offset.", out error);
        var now = time.GetUtcNow();
        if (unixMs < (now - o.MaxReportAge).ToUnixTimeMilliseconds()) return Fail("ts is too old (more than the allowed report age before the server clock).", out error);
        if (unixMs > (now + o.MaxFutureSkew).ToUnixTimeMilliseconds()) return Fail("ts is in the future (beyond the allowed clock skew).", out error);
        return Ok(out error);
    }

    private static bool Photos(JsonElement root, out IReadOnlyList<string> photos, out string? error)
    {
        photos = [];
        if (!root.TryGetProperty("photos", out var p) || p.ValueKind == JsonValueKind.Null) return Ok(out error);
        if (p.ValueKind != JsonValueKind.Array) return Fail("photos must be an array of references (URLs or storage keys).", out error);
        if (p.GetArrayLength() > CaseWorkflow.MaxAttachments) return Fail($"photos has more than {CaseWorkflow.MaxAttachments} references.", out error);
        var list = new List<string>();
        foreach (var item in p.EnumerateArray())
        {
            var s = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (string.IsNullOrWhiteSpace(s) || s.Length > CaseWorkflow.MaxAttachmentLength || s.Any(char.IsWhiteSpace) || s.Any(char.IsControl))
                return Fail($"photos[{list.Count}] must be a reference of 1–{CaseWorkflow.MaxAttachmentLength} characters without spaces.", out error);
            list.Add(s);
        }
        photos = list;
        return Ok(out error);
    }

    private static bool Ok(out string? error)
    {
        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
