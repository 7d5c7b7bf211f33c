using System.Buffers;
using System.Globalization;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Regions;

/// <summary>
/// <c>/api/regions</c>: import the city (admin), read a region, export a subtree as GeoJSON, locate a point.
/// </summary>
/// <remarks>
/// Scope rule (see <see cref="RegionVisibility"/>): <c>GET /{code}</c> answers for regions the caller's
/// scope covers and, as breadcrumbs, for regions above the scope (a district user may read the
/// city's name); above the scope the children list holds only the child on the way to the scope.
/// <c>/geojson</c> and <c>/locate</c> answer only inside the scope, since geometry and grid
/// membership are the data a scope protects. Outside: 403, checked before existence (404), so
/// a code's existence does not leak across scopes.
/// </remarks>
public static class RegionsApi
{
    public const string Tag = "Regions";

    public static IEndpointRouteBuilder MapRegionsApi(this IEndpointRouteBuilder app)
    {
        var maxBytes = ImportRequest.MaxBytes(app.ServiceProvider.GetRequiredService<IConfiguration>());
        var regions = app.MapGroup("/api/regions").WithTags(Tag)
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        regions.MapPost("/import", (HttpRequest request, DirectoryImportService imports, CancellationToken ct) => ImportAsync(request, imports, maxBytes, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("ImportRegions")
            .WithSummary("Replace the region tree from a GeoJSON FeatureCollection (admin only)")
            .WithDescription("All or nothing: 200 with counts per level and elapsed time, or 400 with every error "
                + "(feature index, code, field, message) and nothing changed. Body: application/json or application/geo+json.")
            .Accepts<object>("application/geo+json", "application/json")
            .Produces<RegionImportResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        regions.MapGet("/locate", Locate)
            .WithName("LocateGrid")
            .WithSummary("The unit grid containing a point, and its scopes (grid up to city)")
            .Produces<LocateResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        regions.MapGet("/{code}", Get)
            .WithName("GetRegion")
            .WithSummary("A region's summary and its children's codes")
            .Produces<RegionSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        regions.MapGet("/{code}/geojson", GeoJson)
            .WithName("ExportRegionGeoJson")
            .WithSummary("The region and everything under it as a GeoJSON FeatureCollection (what the map draws)")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, DirectoryImportService imports, long maxBytes, CancellationToken ct)
    {
        if (!request.HasJsonContentType()) return ImportRequest.UnsupportedMediaType("application/geo+json or application/json");
        var (body, problem) = await ImportRequest.ReadAsync(request, maxBytes, ct);
        if (problem is not null) return problem;
        var outcome = await imports.ImportRegionsAsync(body, cancellationToken: ct);
        if (!outcome.Succeeded)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Region import rejected",
                detail: $"{outcome.Errors.Count} error(s); nothing was changed. First: {outcome.Errors[0]}",
                extensions: new Dictionary<string, object?> { ["errors"] = outcome.Errors.Select(RegionImportErrorView.From).ToList() });
        }
        return Results.Ok(new RegionImportResponse(outcome.Version, outcome.CountsByLevel, outcome.CountsByLevel.Values.Sum(), outcome.Elapsed.TotalMilliseconds));
    }

    private static IResult Get(string code, HttpContext http, RegionDirectory directory)
    {
        if (!directory.Scheme.IsValid(code)) return BadCode(code, directory.Scheme);
        var user = http.User;
        var inside = user.CanSeeRegion(code);
        if (!inside && !user.IsAboveScope(directory.Scheme, code)) return RegionVisibility.Forbidden(code);
        if (directory.Find(code) is not { } node) return RegionVisibility.NotFound($"There is no region '{code}'.");
        var children = node.Children
            .Where(c => inside || user.CanSeeRegion(c.Code) || user.IsAboveScope(directory.Scheme, c.Code))
            .Select(static c => c.Code).ToList();
        return Results.Ok(new RegionSummary(node.Code, node.Name, node.Level.ToWireName(), node.ParentCode,
            node.AreaClass?.ToWireName(), Math.Round(node.AreaM2, 1), directory.ScopesOf(code), children, directory.Version));
    }

    private static IResult GeoJson(string code, HttpContext http, RegionDirectory directory)
    {
        if (!directory.Scheme.IsValid(code)) return BadCode(code, directory.Scheme);
        if (!http.User.CanSeeRegion(code)) return RegionVisibility.Forbidden(code);
        // One snapshot for the existence check and the export, so a concurrent import cannot swap the tree between them.
        if (directory.Tree is not { } tree || tree.Find(code) is null) return RegionVisibility.NotFound($"There is no region '{code}'.");
        var buffer = new ArrayBufferWriter<byte>();
        GeoJsonRegionExporter.Write(tree, buffer, code);
        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/geo+json");
    }

    private static IResult Locate(string? lat, string? lon, HttpContext http, RegionDirectory directory)
    {
        if (!TryCoordinate(lat, 90, out var la)) return JsonBody.BadRequest("Query parameter lat is required: decimal degrees between -90 and 90.");
        if (!TryCoordinate(lon, 180, out var lo)) return JsonBody.BadRequest("Query parameter lon is required: decimal degrees between -180 and 180.");
        if (directory.LocateGrid(la, lo) is not { } grid) return RegionVisibility.NotFound("No unit grid contains this point.");
        if (!http.User.CanSeeRegion(grid)) return RegionVisibility.Forbidden(grid);
        return Results.Ok(new LocateResponse(la, lo, grid, directory.ScopesOf(grid)));
    }

    private static bool TryCoordinate(string? text, double limit, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && Math.Abs(value) <= limit;

    private static IResult BadCode(string code, GridCodeScheme scheme)
    {
        scheme.TryGetLevel(code, out _, out var error);
        return JsonBody.BadRequest(error ?? $"'{code}' is not a region code.");
    }
}

public sealed record RegionImportResponse(long Version, IReadOnlyDictionary<string, int> Counts, int Total, double ElapsedMs);

public sealed record RegionImportErrorView(int? FeatureIndex, string? Code, string Field, string Message, long? Line, long? BytePositionInLine)
{
    internal static RegionImportErrorView From(ImportError e) => new(e.FeatureIndex, e.Code, e.Field, e.Message, e.Line, e.BytePositionInLine);
}

public sealed record RegionSummary(string Code, string Name, string Level, string? ParentCode, string? AreaClass, double AreaM2,
    IReadOnlyList<string> Scopes, IReadOnlyList<string> Children, long Version);

public sealed record LocateResponse(double Lat, double Lon, string Grid, IReadOnlyList<string> Scopes);
