using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Regions;

namespace GridGov.Realtime.Silo.Devices;

/// <summary>A device as the API shows it: never the secret or its hash.</summary>
public sealed record DeviceView(string DeviceId, string Kind, string RegionCode, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static DeviceView From(DeviceCredential d) => new(d.DeviceId, DeviceKinds.Name(d.Kind), d.RegionCode, d.CreatedAt, d.RevokedAt);
}

/// <summary>The 201 of a create: the device and its secret, which is never shown again.</summary>
public sealed record CreatedDeviceView(string DeviceId, string Kind, string RegionCode, DateTimeOffset CreatedAt, string Secret);

/// <summary>Admin-only <c>/api/devices</c>: provision one (JSON) or many (CSV), list, revoke.</summary>
public static class DevicesApi
{
    public const string Tag = "Devices";
    public const int PageSize = 100;
    private const long MaxImportBytes = 16L * 1024 * 1024;

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/devices").WithTags(Tag).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        devices.MapPost("/", CreateAsync)
            .WithName("CreateDevice")
            .WithSummary("Provision a terminal or sensor; the secret (generated when absent) is in the 201 and never again")
            .Accepts<DeviceRequest>("application/json")
            .Produces<CreatedDeviceView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        devices.MapPost("/import", ImportAsync)
            .WithName("ImportDevices")
            .WithSummary("Provision many devices from CSV device_id,kind,region_code; returns device_id,secret CSV once. All or nothing.")
            .Accepts<string>("text/csv")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        devices.MapGet("/", ListAsync)
            .WithName("ListDevices")
            .WithSummary("Devices by id, optionally of one ?kind=terminal|sensor, paged (?page= from 1, 100 a page); no secrets")
            .Produces<PageOf<DeviceView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        devices.MapGet("/{id}", GetAsync)
            .WithName("GetDevice")
            .WithSummary("One device; no secret")
            .Produces<DeviceView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        devices.MapDelete("/{id}", RevokeAsync)
            .WithName("RevokeDevice")
            .WithSummary("Revoke a device: its credential stops working and its live MQTT connections are closed")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, DeviceProvisioning provisioning, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<DeviceRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var result = await provisioning.CreateAsync(request!, ct);
        if (result.Created is { } created)
        {
            var d = created.Device;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Location = $"/api/devices/{Uri.EscapeDataString(d.DeviceId)}";
            return Results.Json(new CreatedDeviceView(d.DeviceId, DeviceKinds.Name(d.Kind), d.RegionCode, d.CreatedAt, created.Secret), statusCode: StatusCodes.Status201Created);
        }
        return result.Status == ProvisionStatus.Conflict
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Errors["deviceId"][0])
            : Results.ValidationProblem(result.Errors, title: "Invalid device");
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, DeviceProvisioning provisioning, CancellationToken ct)
    {
        if (!ImportRequest.IsCsv(request)) return ImportRequest.UnsupportedMediaType("text/csv");
        var (body, problem) = await ImportRequest.ReadAsync(request, MaxImportBytes, ct);
        if (problem is not null) return problem;
        var result = await provisioning.ImportAsync(body, ct);
        if (!result.Succeeded)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "CSV import rejected",
                detail: $"{result.Errors.Count} error(s); nothing was changed. First: {result.Errors[0]}",
                extensions: new Dictionary<string, object?> { ["errors"] = result.Errors });
        }
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Text(DeviceProvisioning.ToCsv(result.Created), "text/csv", System.Text.Encoding.UTF8);
    }

    private static async Task<IResult> ListAsync(string? kind, int? page, DeviceProvisioning provisioning, CancellationToken ct)
    {
        DeviceKind? filter = null;
        if (kind is not null)
        {
            if (!DeviceKinds.TryParse(kind, out var k)) return Invalid("kind", "kind must be 'terminal' or 'sensor'.");
            filter = k;
        }
        var p = page ?? 1;
        if (p < 1) return Invalid("page", "page starts at 1.");
        var (items, total) = await provisioning.ListAsync(filter, (int)Math.Min(int.MaxValue, (long)(p - 1) * PageSize), PageSize, ct);
        return Results.Ok(new PageOf<DeviceView>(total, p, PageSize, [.. items.Select(DeviceView.From)]));
    }

    private static async Task<IResult> GetAsync(string id, DeviceProvisioning provisioning, CancellationToken ct) =>
        await provisioning.FindAsync(id, ct) is { } device ? Results.Ok(DeviceView.From(device)) : NotFound(id);

    private static async Task<IResult> RevokeAsync(string id, DeviceProvisioning provisioning, CancellationToken ct)
    {
        if (await provisioning.RevokeAsync(id, ct)) return Results.NoContent();
        return await provisioning.FindAsync(id, ct) is { Revoked: true }
            ? Results.NoContent() // revoking twice is the same outcome; revoked_at keeps the first time
            : NotFound(id);
    }

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such device", detail: $"There is no device '{id}'.");

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid query");
}
