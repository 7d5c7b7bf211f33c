using System.Security.Claims;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Regions;

/// <summary>
/// <c>/api/workers</c> and <c>/api/sensors</c>: CSV import (admin, <c>text/csv</c>) and scope-filtered
/// reads. A worker is inside a scope when its <c>region_code</c> is; a sensor when its <c>grid_code</c> is
/// (rule in <see cref="RegionVisibility"/>). Lists show only what is inside; reading one outside is 403.
/// </summary>
public static class WorkersApi
{
    public const string WorkersTag = "Workers";
    public const string SensorsTag = "Sensors";
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var maxBytes = ImportRequest.MaxBytes(app.ServiceProvider.GetRequiredService<IConfiguration>());

        var workers = app.MapGroup("/api/workers").WithTags(WorkersTag).RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        workers.MapPost("/import", (HttpRequest r, DirectoryImportService i, CancellationToken ct) => ImportAsync(r, maxBytes, i.ImportWorkersAsync, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("ImportWorkers")
            .WithSummary("Replace all grid workers from CSV (admin only)")
            .WithDescription("Columns: worker_id,name,role,region_code,assigned_grids,active (header row required; assigned_grids ';'-separated). "
                + "All or nothing: 400 lists every error by line, column and value.")
            .Accepts<string>("text/csv")
            .Produces<CsvImportResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        workers.MapGet("/", (string? region, int? page, int? pageSize, HttpContext http, WorkerDirectory d, RegionDirectory r) =>
                List(d.Workers, static w => w.RegionCode, region, page, pageSize, http.User, r))
            .WithName("ListWorkers")
            .WithSummary("Workers inside the caller's scope, optionally only under ?region=, by id, paged (page from 1)")
            .Produces<PageOf<WorkerProfile>>();
        workers.MapGet("/{id}", (string id, HttpContext http, WorkerDirectory d, RegionDirectory r) =>
                One(d.FindWorker(id), static w => w.RegionCode, $"There is no worker '{id}'.", http.User, r))
            .WithName("GetWorker")
            .WithSummary("One worker (403 outside the caller's scope)")
            .Produces<WorkerProfile>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var sensors = app.MapGroup("/api/sensors").WithTags(SensorsTag).RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        sensors.MapPost("/import", (HttpRequest r, DirectoryImportService i, CancellationToken ct) => ImportAsync(r, maxBytes, i.ImportSensorsAsync, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("ImportSensors")
            .WithSummary("Replace all sensors from CSV (admin only)")
            .WithDescription("Columns: sensor_id,type,grid_code,lat,lon,active (header row required). All or nothing.")
            .Accepts<string>("text/csv")
            .Produces<CsvImportResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        sensors.MapGet("/", (string? region, int? page, int? pageSize, HttpContext http, WorkerDirectory d, RegionDirectory r) =>
                List(d.Sensors, static s => s.GridCode, region, page, pageSize, http.User, r))
            .WithName("ListSensors")
            .WithSummary("Sensors inside the caller's scope, optionally only under ?region=, by id, paged (page from 1)")
            .Produces<PageOf<SensorProfile>>();
        sensors.MapGet("/{id}", (string id, HttpContext http, WorkerDirectory d, RegionDirectory r) =>
                One(d.FindSensor(id), static s => s.GridCode, $"There is no sensor '{id}'.", http.User, r))
            .WithName("GetSensor")
            .WithSummary("One sensor (403 outside the caller's scope)")
            .Produces<SensorProfile>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, long maxBytes,
        Func<ReadOnlyMemory<byte>, CancellationToken, Task<CsvImportOutcome>> import, CancellationToken ct)
    {
        if (!ImportRequest.IsCsv(request)) return ImportRequest.UnsupportedMediaType("text/csv");
        var (body, problem) = await ImportRequest.ReadAsync(request, maxBytes, ct);
        if (problem is not null) return problem;
        var outcome = await import(body, ct);
        if (!outcome.Succeeded)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "CSV import rejected",
                detail: $"{outcome.Errors.Count} error(s); nothing was changed. First: {outcome.Errors[0]}",
                extensions: new Dictionary<string, object?> { ["errors"] = outcome.Errors });
        }
        return Results.Ok(new CsvImportResponse(outcome.Count, outcome.Elapsed.TotalMilliseconds));
    }

    private static IResult List<T>(IReadOnlyList<T> all, Func<T, string> regionOf, string? region, int? page, int? pageSize,
        ClaimsPrincipal user, RegionDirectory regions)
    {
        var scheme = regions.Scheme;
        if (region is not null)
        {
            if (!scheme.IsValid(region)) return JsonBody.BadRequest($"'{region}' is not a region code.");
            if (!user.CanSeeRegion(region)) return RegionVisibility.Forbidden(region);
        }
        var p = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (p < 1) return JsonBody.BadRequest("page starts at 1.");
        if (size is < 1 or > MaxPageSize) return JsonBody.BadRequest($"pageSize must be between 1 and {MaxPageSize}.");
        var visible = all.Where(x =>
        {
            var code = regionOf(x);
            return user.CanSeeRegion(code) && (region is null || scheme.Covers(region, code));
        }).ToList();
        var items = visible.Skip((int)Math.Min(int.MaxValue, (long)(p - 1) * size)).Take(size).ToList();
        return Results.Ok(new PageOf<T>(visible.Count, p, size, items));
    }

    private static IResult One<T>(T? item, Func<T, string> regionOf, string notFound, ClaimsPrincipal user, RegionDirectory regions) where T : class
    {
        if (item is null) return RegionVisibility.NotFound(notFound);
        var code = regionOf(item);
        return user.CanSeeRegion(code) ? Results.Ok(item) : RegionVisibility.Forbidden(code);
    }
}

public sealed record CsvImportResponse(int Count, double ElapsedMs);

public sealed record PageOf<T>(int Total, int Page, int PageSize, IReadOnlyList<T> Items);
