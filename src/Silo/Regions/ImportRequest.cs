using Microsoft.AspNetCore.Http.Features;

namespace GridGov.Realtime.Silo.Regions;

/// <summary>Reads an import body whole (the importers validate the whole file before anything changes), within a size limit.</summary>
internal static class ImportRequest
{
    /// <summary>Default limit of import bodies: a surveyed city of tens of thousands of grids is tens of MB.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary>Configuration key that overrides <see cref="DefaultMaxBytes"/>.</summary>
    public const string MaxBytesKey = "Directory:MaxImportBytes";

    public static long MaxBytes(IConfiguration configuration) =>
        configuration.GetValue<long?>(MaxBytesKey) is > 0 and var v ? v : DefaultMaxBytes;

    public static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return (default, TooLarge(maxBytes));
        // Kestrel's own limit (30 MB by default) is raised for this request only.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        using var buffer = new MemoryStream(request.ContentLength is { } n and > 0 ? (int)Math.Min(n, int.MaxValue) : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (default, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    public static bool IsCsv(HttpRequest request) =>
        request.ContentType is { } ct && ct.Split(';')[0].Trim().Equals("text/csv", StringComparison.OrdinalIgnoreCase);

    public static IResult UnsupportedMediaType(string expected) =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: $"Send the file with Content-Type: {expected}.");

    private static IResult TooLarge(long maxBytes) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large",
            detail: $"The import file must be at most {maxBytes} bytes (setting {MaxBytesKey}).");
}
