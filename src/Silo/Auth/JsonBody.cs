using System.Text.Json;
using System.Text.Json.Serialization;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Reads a JSON request body strictly (no unknown or duplicate fields) and turns every way it can be
/// wrong into a 400 problem-details result with a message saying what is wrong.
/// </summary>
internal static class JsonBody
{
    /// <summary>Bodies here are a few hundred bytes; anything far larger is refused unread.</summary>
    public const long MaxBytes = 16 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
            return (null, BadRequest("The request body must be JSON (Content-Type: application/json)."));
        if (request.ContentLength > MaxBytes)
            return (null, BadRequest($"The request body must be at most {MaxBytes} bytes."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken);
            return value is null ? (null, BadRequest("The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"The request body is not valid JSON for this request: {Describe(e)}"));
        }
    }

    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed request", detail: detail);

    // JsonException messages name internal .NET types; say what is wrong in the client's terms.
    private static string Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal)) return $"unknown field at {path}.";
        if (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)) return $"duplicate field at {path}.";
        if (e.Message.Contains("could not be converted", StringComparison.Ordinal)) return $"wrong value type at {path}.";
        return $"invalid JSON at {path} (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).";
    }
}
