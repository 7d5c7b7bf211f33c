using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Regions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Responders;

/// <summary>
/// On-call rosters and responder escalations. Rosters: read by anyone whose scope covers the region, replaced by
/// admins and command staff whose scope covers it, and every name on a roster must be an enabled responder whose own
/// scope covers the region (so a responder never gets what they could not open). Escalations: listed and read by
/// users whose scope covers the region where it happened; acknowledged by whom <see cref="EscalationAuthority"/> says.
/// </summary>
public static class RespondersApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private const int DefaultListLimit = 100;
    private const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapRespondersApi(this IEndpointRouteBuilder app)
    {
        var rosters = app.MapGroup("/api/regions/{code}").RequireAuthorization().WithTags("Responders");
        rosters.MapGet("/on-call", GetRosterAsync).WithName("GetOnCallRoster")
            .WithSummary("The region's on-call responders, in the order an escalation asks them.");
        rosters.MapPut("/on-call", SetRosterAsync).WithName("SetOnCallRoster")
            .WithSummary("Replace the region's on-call roster {responders: [userId, ...]} (admin or command staff covering the region; empty clears it).");

        var escalations = app.MapGroup("/api/escalations").RequireAuthorization().WithTags("Responders");
        escalations.MapGet("", ListAsync).WithName("ListEscalations")
            .WithSummary("Escalations in your region scope, newest first (?limit=, default 100); ?open=true for those not acknowledged yet (pending or unanswered).");
        escalations.MapGet("/{id}", GetAsync).WithName("GetEscalation")
            .WithSummary("One escalation with every attempt: who was asked, when it was due, how it ended.");
        escalations.MapPost("/{id}/ack", AckAsync).WithName("AcknowledgeEscalation")
            .WithSummary("Take the escalation: the responder it is with, or admin / command staff covering the region whose roster holds it. Optional body {note}.");
        return app;
    }

    internal sealed record RosterRequest(string[]? Responders);

    internal sealed record AckRequest(string? Note);

    internal sealed record EscalationList(IReadOnlyList<EscalationView> Escalations);

    private static async Task<IResult> GetRosterAsync(string code, HttpContext http, IGrainFactory grains, IRegionDirectory regions)
    {
        if (CheckRegion(code, http.User, regions) is { } bad) return bad;
        return Results.Json(await grains.GetGrain<IOnCallRosterGrain>(code).Get(), Json);
    }

    private static async Task<IResult> SetRosterAsync(string code, HttpContext http, IGrainFactory grains, IRegionDirectory regions, IUserDirectory users,
        IOptions<EscalationOptions> options, CancellationToken cancellationToken)
    {
        if (CheckRegion(code, http.User, regions) is { } bad) return bad;
        if (!http.User.HasRoleOrAdmin(Roles.CommandStaff))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Only command staff (or an admin) manage on-call rosters.");
        var (body, problem) = await JsonBody.ReadAsync<RosterRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Responders is not { } names) return Invalid("responders", "responders is required: a list of responder user ids (empty clears the roster).");
        if (names.Length > options.Value.MaxRosterSize) return Invalid("responders", $"A roster has at most {options.Value.MaxRosterSize} responders.");
        var roster = new List<string>(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            var field = $"responders[{i}]";
            if (string.IsNullOrWhiteSpace(names[i])) return Invalid(field, "A responder user id is required.");
            var account = await users.FindAsync(names[i].Trim(), cancellationToken);
            if (account is null) return Invalid(field, $"There is no user '{names[i]}'.");
            if (account.Role != Roles.Responder) return Invalid(field, $"User '{account.UserName}' is {account.Role}, not a responder.");
            if (account.Disabled) return Invalid(field, $"User '{account.UserName}' is disabled.");
            if (!account.RegionScope.Covers(code)) return Invalid(field, $"User '{account.UserName}''s region scope does not cover region {code}.");
            if (roster.Contains(account.UserName)) return Invalid(field, $"User '{account.UserName}' is on the roster twice.");
            roster.Add(account.UserName);
        }
        var saved = await grains.GetGrain<IOnCallRosterGrain>(code).Set(new SetOnCallRoster(roster, http.User.GetUserName() ?? ""));
        return Results.Json(saved, Json);
    }

    private static async Task<IResult> ListAsync(bool? open, int? limit, HttpContext http, IGrainFactory grains)
    {
        var take = limit ?? DefaultListLimit;
        if (take is < 1 or > MaxListLimit) return Invalid("limit", $"limit is between 1 and {MaxListLimit}.");
        var entries = await grains.GetGrain<IEscalationRegistryGrain>(IEscalationRegistryGrain.Key).List(open == true);
        var visible = new List<EscalationView>();
        foreach (var entry in entries)
        {
            if (visible.Count == take) break;
            if (!http.User.CanSeeRegion(entry.RegionCode)) continue;
            if (await grains.GetGrain<IEscalationGrain>(entry.Id).Get() is { } view) visible.Add(view);
        }
        return Results.Json(new EscalationList(visible), Json);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var view = await grains.GetGrain<IEscalationGrain>(id).Get();
        if (view is null) return RegionVisibility.NotFound($"There is no escalation {id}.");
        return CanSee(http.User, view) ? Results.Json(view, Json) : RegionVisibility.Forbidden(view.Subject.RegionCode);
    }

    private static async Task<IResult> AckAsync(string id, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        string? note = null;
        if (http.Request.ContentLength > 0 || http.Request.HasJsonContentType())
        {
            var (body, problem) = await JsonBody.ReadAsync<AckRequest>(http.Request, cancellationToken);
            if (problem is not null) return problem;
            note = body!.Note;
        }
        if (note is { Length: > EscalationOptions.MaxNoteLength }) return Invalid("note", $"note is at most {EscalationOptions.MaxNoteLength} characters.");
        var user = http.User;
        var actor = new EscalationActor(user.GetUserName() ?? "", user.GetRole() ?? "", user.GetRegionScope().Code);
        var result = await grains.GetGrain<IEscalationGrain>(id).Acknowledge(new AcknowledgeEscalation(actor, "rest", note));
        return result.Status switch
        {
            EscalationCommandStatus.Ok => Results.Json(result.Escalation, Json),
            EscalationCommandStatus.NotFound => RegionVisibility.NotFound(result.Error ?? $"There is no escalation {id}."),
            EscalationCommandStatus.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Error),
            EscalationCommandStatus.Invalid => Invalid("note", result.Error ?? "Invalid acknowledgement."),
            _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Error),
        };
    }

    // The region where it happened decides; every responder it can reach covers that region (roster rule above).
    private static bool CanSee(ClaimsPrincipal user, EscalationView view) =>
        user.CanSeeRegion(view.Subject.RegionCode)
        || view.Attempts.Any(a => string.Equals(a.Responder, user.GetUserName(), StringComparison.Ordinal));

    private static IResult? CheckRegion(string code, ClaimsPrincipal user, IRegionDirectory regions)
    {
        if (!RegionScope.IsValidCode(code)) return Invalid("code", "code is a region code (1–32 digits).");
        if (regions.Find(code) is null) return RegionVisibility.NotFound($"There is no region {code}.");
        return user.CanSeeRegion(code) ? null : RegionVisibility.Forbidden(code);
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request", detail: message);
}
