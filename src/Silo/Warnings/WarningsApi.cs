using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Warnings;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Regions;

namespace GridGov.Realtime.Silo.Warnings;

/// <summary>
/// The early-warning REST API (DOMAIN.md §7). Who may issue which level, and who may raise, lower or lift,
/// is <see cref="WarningAuthority"/>'s (the grain decides; this layer maps its result to HTTP). Reading is
/// allowed to users whose scope covers the region and to users below it, since a warning applies to them.
/// </summary>
public static class WarningsApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static IEndpointRouteBuilder MapWarningsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/regions/{code}").RequireAuthorization().WithTags("Warnings");
        group.MapPost("/warnings", IssueAsync).WithName("IssueWarning")
            .WithSummary("Issue a warning (Blue/Yellow/Orange/Red) for the region and everything below it. Idempotent by requestId.");
        group.MapPut("/warnings/{id}", ChangeAsync).WithName("ChangeWarning")
            .WithSummary("Raise or lower an active warning (issuer, a superior of the issuer, or admin). Idempotent by requestId.");
        group.MapDelete("/warnings/{id}", LiftAsync).WithName("LiftWarning")
            .WithSummary("Lift a warning (issuer, a superior, or admin); reason required (?reason= or a JSON body {requestId, reason}).");
        group.MapGet("/warnings", ListAsync).WithName("ListWarnings")
            .WithSummary("The warnings issued for this region: the active ones (most severe first) and the full history.");
        group.MapGet("/warning-level", LevelAsync).WithName("GetWarningLevel")
            .WithSummary("The region's effective level: the highest active warning of the region and its ancestors (null when none).");
        return app;
    }

    internal sealed record IssueRequest(string? RequestId, string? Level, string? Reason, string? Type);

    internal sealed record ChangeRequest(string? RequestId, string? Level, string? Reason);

    internal sealed record LiftRequest(string? RequestId, string? Reason);

    internal sealed record WarningsReply(string RegionCode, IReadOnlyList<WarningView> Active, IReadOnlyList<WarningHistoryEntry> History);

    private static async Task<IResult> IssueAsync(string code, HttpContext http, IGrainFactory grains, IRegionDirectory regions, CancellationToken cancellationToken)
    {
        if (CheckRegion(code, regions) is { } bad) return bad;
        var (body, problem) = await JsonBody.ReadAsync<IssueRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(body!.RequestId)) return Invalid("requestId", "requestId is required (a client-chosen id that makes retries safe).");
        if (!TryParseLevel(body.Level, out var level)) return Invalid("level", "level is Blue, Yellow, Orange or Red.");
        var result = await grains.GetGrain<IWarningGrain>(code).Issue(new IssueWarning(body.RequestId, ActorOf(http.User), level, body.Reason ?? "", body.Type));
        if (!result.Succeeded) return Failure(result);
        http.Response.Headers.Location = $"/api/regions/{code}/warnings/{result.Warning!.Id}";
        return Results.Json(result.Warning, Json, statusCode: result.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> ChangeAsync(string code, string id, HttpContext http, IGrainFactory grains, IRegionDirectory regions, CancellationToken cancellationToken)
    {
        if (CheckRegion(code, regions) is { } bad) return bad;
        var (body, problem) = await JsonBody.ReadAsync<ChangeRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(body!.RequestId)) return Invalid("requestId", "requestId is required (a client-chosen id that makes retries safe).");
        if (!TryParseLevel(body.Level, out var level)) return Invalid("level", "level is Blue, Yellow, Orange or Red.");
        var result = await grains.GetGrain<IWarningGrain>(code).Change(new ChangeWarning(body.RequestId, ActorOf(http.User), id, level, body.Reason ?? ""));
        return result.Succeeded ? Results.Json(result.Warning, Json) : Failure(result);
    }

    private static async Task<IResult> LiftAsync(string code, string id, string? reason, string? requestId, HttpContext http, IGrainFactory grains, IRegionDirectory regions, CancellationToken cancellationToken)
    {
        if (CheckRegion(code, regions) is { } bad) return bad;
        if (http.Request.ContentLength > 0 || http.Request.HasJsonContentType())
        {
            var (body, problem) = await JsonBody.ReadAsync<LiftRequest>(http.Request, cancellationToken);
            if (problem is not null) return problem;
            reason = body!.Reason ?? reason;
            requestId = body.RequestId ?? requestId;
        }
        if (string.IsNullOrWhiteSpace(reason)) return Invalid("reason", "reason is required to lift a warning.");
        // Lifting twice is the same request: without an explicit id, repeated DELETEs of one warning are one lift.
        requestId = string.IsNullOrWhiteSpace(requestId) ? $"lift-{id}" : requestId;
        var result = await grains.GetGrain<IWarningGrain>(code).Lift(new LiftWarning(requestId, ActorOf(http.User), id, reason));
        return result.Succeeded ? Results.Json(result.Warning, Json) : Failure(result);
    }

    private static async Task<IResult> ListAsync(string code, HttpContext http, IGrainFactory grains, IRegionDirectory regions)
    {
        if (CheckVisible(code, http.User, regions) is { } bad) return bad;
        var grain = grains.GetGrain<IWarningGrain>(code);
        return Results.Json(new WarningsReply(code, await grain.Get(), await grain.History()), Json);
    }

    private static async Task<IResult> LevelAsync(string code, HttpContext http, WarningLevels levels, IRegionDirectory regions)
    {
        if (CheckVisible(code, http.User, regions) is { } bad) return bad;
        var effective = await levels.GetEffectiveAsync(code);
        return effective is null ? RegionVisibility.NotFound($"There is no region {code}.") : Results.Json(effective, Json);
    }

    private static IResult? CheckRegion(string code, IRegionDirectory regions)
    {
        if (!RegionScope.IsValidCode(code)) return Invalid("code", "code is a region code (1–32 digits).");
        return regions.Find(code) is null ? RegionVisibility.NotFound($"There is no region {code}.") : null;
    }

    // A warning applies below its region, so users below it may read it too; peers may not.
    private static IResult? CheckVisible(string code, ClaimsPrincipal user, IRegionDirectory regions)
    {
        if (CheckRegion(code, regions) is { } bad) return bad;
        return user.CanSeeRegion(code) || user.IsAboveScope(regions.Scheme, code) ? null : RegionVisibility.Forbidden(code);
    }

    internal static WarningActor ActorOf(ClaimsPrincipal user) =>
        new(user.GetUserName() ?? "", user.GetRole() ?? "", user.GetRegionScope().Code);

    private static bool TryParseLevel(string? value, out WarningLevel level) =>
        Enum.TryParse(value, ignoreCase: true, out level) && Enum.IsDefined(level) && !int.TryParse(value, out _);

    private static IResult Failure(WarningResult result) => result.Status switch
    {
        WarningCommandStatus.Invalid => Invalid(result.Field ?? "request", result.Error ?? "Invalid warning request."),
        WarningCommandStatus.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Error),
        WarningCommandStatus.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Error),
        _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Error,
            extensions: result.Field is null ? null : new Dictionary<string, object?> { ["field"] = result.Field }),
    };

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid warning request", detail: message);
}
