using System.Globalization;
using System.Text.Json;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Intake;

/// <summary>Reads GeoReport v2 parameters: the posted fields, coordinates and the spec's ISO 8601 dates.</summary>
internal static class Open311Parameters
{
    public static bool TryCoordinate(Dictionary<string, string> fields, string name, out double? value, out string? error)
    {
        value = null;
        error = null;
        if (!fields.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text)) return true;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            error = $"{name} must be a decimal number of degrees.";
            return false;
        }
        value = v;
        return true;
    }

    public static bool TryDate(string? text, string name, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        // The spec's w3 ISO 8601 subset always carries a zone.
        if (text.Length < 11 || !(text[^1] is 'Z' or 'z' || text[^6] is '+' or '-')
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var v))
        {
            error = $"{name} must be an ISO 8601 date-time with a zone, e.g. 2026-03-02T09:00:00+08:00.";
            return false;
        }
        value = v;
        return true;
    }

    // The spec posts form fields; JSON objects with the same names are accepted too. Unknown fields are ignored (attribute[...]).
    public static async Task<(Dictionary<string, string>? Fields, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.ContentLength > JsonBody.MaxBytes) return (null, $"The request body must be at most {JsonBody.MaxBytes} bytes.");
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form)
            {
                if (value.Count > 1 && !key.StartsWith("attribute", StringComparison.Ordinal)) return (null, $"{key} is given more than once.");
                fields[key] = value.ToString();
            }
            return (fields, null);
        }
        if (!request.HasJsonContentType()) return (null, "Post the request as application/x-www-form-urlencoded (or a JSON object).");
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 4 }, cancellationToken);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, "The request body must be a JSON object.");
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                fields[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Number => p.Value.GetRawText(),
                    JsonValueKind.Null => "",
                    _ => p.Name.StartsWith("attribute", StringComparison.Ordinal) ? "" : throw new JsonException($"{p.Name} must be a string or a number."),
                };
            }
            return (fields, null);
        }
        catch (JsonException e)
        {
            return (null, $"The request body is not valid JSON: {e.Message.Split(". ")[0]}.");
        }
    }
}
