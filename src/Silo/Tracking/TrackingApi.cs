using System.Buffers;
using System.Globalization;
using System.Security.Claims;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.Silo.Auth;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Tracking;

/// <summary>Track replay, patrol summary and the OsmAnd-compatible position endpoint.</summary>
public static class TrackingApi
{
    public const string Tag = "Tracking";
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);
    private const double KnotsToMetresPerSecond = 1852.0 / 3600.0;

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder endpoints)
    {
        var workers = endpoints.MapGroup("/api/workers").RequireAuthorization().WithTags(Tag)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        workers.MapGet("/{id}/track", TrackAsync)
            .WithName("GetWorkerTrack")
            .WithSummary("A worker's filtered track as a GeoJSON Feature")
            .WithDescription("from/to: ISO 8601 (default: the last 24 h). Geometry: LineString of [lon, lat] (Point for one fix, null for none). "
                + "RFC 7946 has no time dimension, so properties.times holds one ISO 8601 UTC time per coordinate, in the same order. "
                + "Visible to users whose region scope covers the worker's region.")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json")
            .ProducesValidationProblem();

        workers.MapGet("/{id}/patrol", PatrolAsync)
            .WithName("GetWorkerPatrol")
            .WithSummary("Patrol summary for assessment: distance, active time and coverage of the assigned grids")
            .Produces<PatrolSummary>()
            .ProducesValidationProblem();

        endpoints.MapMethods("/api/osmand", ["GET", "POST"], OsmAndAsync)
            .RequireAuthorization()
            .WithTags(Tag)
            .WithName("OsmAndPosition")
            .WithSummary("OsmAnd/Traccar-compatible position report")
            .WithDescription("Parameters (query, or form body on POST): id (or deviceid), lat, lon, timestamp (Unix seconds, Unix ms, or ISO 8601 with offset; "
                + "default now), speed (unit per Tracking:OsmAndSpeedUnit, default knots as Traccar Client and Traccar's OsmAnd decoder use), "
                + "bearing (or heading), batt (0–100), accuracy (metres). A grid_worker may report only for its own worker id (user name); admins for any. "
                + "Answers 200 once the fix is durable.")
            .Produces(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return endpoints;
    }

    private static async Task<IResult> TrackAsync(string id, string? from, string? to, ClaimsPrincipal user, IWorkerDirectory workers,
        IPositionHistory history, IOptions<TrackingOptions> options, IOptions<PositionHistoryOptions> historyOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Authorize(id, user, workers) is { } denied) return denied;
        if (Window(from, to, time, options.Value) is not ({ } f, { } t)) return WindowProblem(options.Value);
        var rows = await history.ReadAsync(id, f, t, historyOptions.Value.MaxReadRows, cancellationToken);
        var buffer = new ArrayBufferWriter<byte>();
        TrackAnalysis.WriteTrackGeoJson(buffer, id, f, t, TrackAnalysis.Filter(rows, options.Value));
        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/geo+json");
    }

    private static async Task<IResult> PatrolAsync(string id, string? from, string? to, ClaimsPrincipal user, IWorkerDirectory workers, IRegionDirectory regions,
        IPositionHistory history, IOptions<TrackingOptions> options, IOptions<PositionHistoryOptions> historyOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Authorize(id, user, workers) is { } denied) return denied;
        if (Window(from, to, time, options.Value) is not ({ } f, { } t)) return WindowProblem(options.Value);
        var rows = await history.ReadAsync(id, f, t, historyOptions.Value.MaxReadRows, cancellationToken);
        var grids = workers.FindWorker(id)!.AssignedGrids.Select(regions.Find).OfType<Grains.Geo.RegionNode>();
        return Results.Ok(TrackAnalysis.Summarize(id, f, t, TrackAnalysis.Filter(rows, options.Value), grids, options.Value));
    }

    private static IResult? Authorize(string id, ClaimsPrincipal user, IWorkerDirectory workers)
    {
        var profile = workers.FindWorker(id);
        if (profile is null) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Worker '{id}' is not registered.");
        return user.CanSeeRegion(profile.RegionCode)
            ? null
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The worker's region is outside your region scope.");
    }

    private static (DateTimeOffset? From, DateTimeOffset? To) Window(string? from, string? to, TimeProvider time, TrackingOptions options)
    {
        DateTimeOffset t = time.GetUtcNow(), f;
        if (to is not null && !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out t)) return (null, null);
        f = t - DefaultWindow;
        if (from is not null && !DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out f)) return (null, null);
        return f < t && t - f <= options.MaxQueryWindow ? (f, t) : (null, null);
    }

    private static IResult WindowProblem(TrackingOptions options) => Results.ValidationProblem(new Dictionary<string, string[]>
    {
        ["from"] = [$"from and to must be ISO 8601 times with from < to and at most {options.MaxQueryWindow} apart."],
    });

    private static async Task<IResult> OsmAndAsync(HttpContext http, ClaimsPrincipal user, TerminalPayloadParser parser, TerminalIntake intake, IOptions<TrackingOptions> options)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        string? Get(string name) => http.Request.Query[name].FirstOrDefault() ?? form?[name].FirstOrDefault();

        var id = Get("id") ?? Get("deviceid");
        if (string.IsNullOrEmpty(id) || id.Length > TerminalIntake.MaxWorkerIdLength) return Invalid("id", "id (or deviceid) is required, at most 64 characters.");
        var role = user.GetRole();
        if (!(role == Roles.Admin || (role == Roles.GridWorker && string.Equals(user.GetUserName(), id, StringComparison.OrdinalIgnoreCase))))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "A grid worker may report positions only for its own worker id.");

        var errors = new Dictionary<string, string[]>();
        var lat = Number(Get("lat"), "lat", errors, required: true) ?? double.NaN;
        var lon = Number(Get("lon"), "lon", errors, required: true) ?? double.NaN;
        var speed = Number(Get("speed"), "speed", errors);
        var bearing = Number(Get("bearing") ?? Get("heading"), "bearing", errors);
        var batt = Number(Get("batt"), "batt", errors);
        var accuracy = Number(Get("accuracy"), "accuracy", errors);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var metresPerSecond = speed is { } v ? options.Value.OsmAndSpeedUnit switch
        {
            OsmAndSpeedUnit.Knots => v * KnotsToMetresPerSecond,
            OsmAndSpeedUnit.KilometresPerHour => v / 3.6,
            _ => v,
        } : (double?)null;
        if (!parser.TryCreateFix(lat, lon, accuracy, metresPerSecond, bearing, batt, Get("timestamp"), out var fix, out var error))
            return Invalid("position", error!);

        var result = await intake.AcceptPositionsAsync(id, [fix], http.RequestAborted);
        return result.Status == IntakeStatus.Accepted
            ? Results.Ok()
            : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: result.Reason);
    }

    private static double? Number(string? text, string name, Dictionary<string, string[]> errors, bool required = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            if (required) errors[name] = [$"{name} is required."];
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        errors[name] = [$"{name} must be a number."];
        return null;
    }

    private static IResult Invalid(string field, string message) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
