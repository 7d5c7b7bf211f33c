using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Cases.ReadModel;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Intake;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Cases;

/// <summary>
/// The case REST API. A user sees and acts on a case only when their region scope covers its region
/// (grid) code; what each role may do is the table on <see cref="CaseWorkflow"/>. Case ids are
/// <c>C</c> + yyyyMMdd (Beijing calendar day) + a 6-digit daily sequence, e.g. <c>C20260302000017</c>:
/// sortable and short enough to read over the phone (see <see cref="ICaseNumberGrain"/>).
/// </summary>
public static class CasesApi
{
    /// <summary>The claim a department handler's token may carry; without it the user name stands for the department (部门账号).</summary>
    public const string DepartmentClaim = "department";

    /// <summary>The response header carrying the next page's cursor (also in a <c>Link: rel="next"</c> header).</summary>
    public const string NextCursorHeader = "X-Next-Cursor";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("Cases");
        cases.MapPost("/", ReportAsync).WithName("ReportCase")
            .WithSummary("Report a case (信息收集): a patrol report by a grid worker, or a public report entered by command staff (needs 核实).");
        cases.MapGet("/", ListAsync).WithName("ListCases")
            .WithSummary("Cases in the caller's region scope, newest report first, from the case read model. Filters: region (default: your scope), status, category, department, from/to (report time, [from, to)), trafficLight. Paged: pageSize (1–200, default 50) and the cursor from the X-Next-Cursor / Link rel=next header.");
        cases.MapGet("/{id}", GetAsync).WithName("GetCase")
            .WithSummary("One case with its status, current step deadline and traffic light.");
        cases.MapGet("/{id}/history", HistoryAsync).WithName("GetCaseHistory")
            .WithSummary("The case's audit trail: every event with who, when, from/to status, note and attachments.");
        cases.MapPost("/{id}/commands", CommandAsync).WithName("CaseCommand")
            .WithSummary("Apply a workflow command (File, Dispatch, Accept, SubmitFeedback, RequestCheck, PassCheck, FailCheck, Close, Return, extensions, Suspend/Resume, Supervise...). Idempotent by requestId.");
        return app;
    }

    internal sealed record ReportRequest(
        string? CategoryCode, string? Kind, string? Urgency, string? Description, string? RegionCode,
        double? Latitude, double? Longitude, List<string>? Attachments);

    internal sealed record CommandRequest(string? RequestId, string? Command, long? ExpectedVersion, CommandFields? Fields);

    internal sealed record CommandFields(
        string? Note, List<string>? Attachments, string? Department, string? Kind, string? CategoryCode, string? Urgency,
        bool? Confirmed, decimal? ExtensionAmount, string? Worker = null);

    private static async Task<IResult> ReportAsync(HttpContext http, IGrainFactory grains, CaseWorkflow workflow, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReportRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        if (!TryParse<CaseKind>(body!.Kind, out var kind)) return Invalid("kind", "kind is required: Component (部件) or Event (事件).");
        if (!TryParse<Urgency>(body.Urgency, out var urgency)) return Invalid("urgency", "urgency is required: Normal, Important or Urgent.");
        var command = new CaseCommand
        {
            RequestId = "report",
            Actor = ActorOf(http.User),
            Kind = CaseCommandKind.Report,
            CaseKind = kind,
            CategoryCode = body.CategoryCode,
            Urgency = urgency,
            RegionCode = body.RegionCode,
            Description = body.Description,
            Latitude = body.Latitude,
            Longitude = body.Longitude,
            Attachments = body.Attachments,
        };
        var now = time.GetUtcNow();
        // Decide first (pure) so a bad report does not use up a case number.
        var trial = workflow.Decide("C00000000000000", null, command, now);
        if (trial.Event is null) return Failure(new CaseCommandResult(trial.Status, null, trial.Error, trial.Field));

        var id = await grains.GetGrain<ICaseNumberGrain>(CaseIds.DayKey(now, workflow.Calendar.TimeZone)).Next();
        var result = await grains.GetGrain<ICaseGrain>(id).Execute(command with { RequestId = $"report-{id}" });
        if (!result.Succeeded) return Failure(result);
        http.Response.Headers.Location = $"/api/cases/{id}";
        return Results.Json(result.View, Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, CaseReadModel readModel, CaseWorkflow workflow, TimeProvider time,
        string? region, string? status, string? category, string? department, string? from, string? to, string? trafficLight,
        int? pageSize, string? cursor, CancellationToken cancellationToken)
    {
        var (regionCode, denied) = CaseQueryParameters.Region(http.User, region);
        if (denied is not null) return denied;
        CaseStatus? statusFilter = null;
        if (status is not null)
        {
            if (!TryParse<CaseStatus>(status, out var s)) return Invalid("status", $"status is one of {string.Join(", ", Enum.GetNames<CaseStatus>())}.");
            statusFilter = s;
        }
        TrafficLight? light = null;
        if (trafficLight is not null)
        {
            if (!TryParse<TrafficLight>(trafficLight, out var l)) return Invalid("trafficLight", "trafficLight is Green, Yellow or Red.");
            light = l;
        }
        if (pageSize is < 1 or > CaseListQuery.MaxPageSize) return Invalid("pageSize", $"pageSize is 1–{CaseListQuery.MaxPageSize}.");
        CaseListCursor? after = null;
        if (cursor is not null && !CaseListCursor.TryDecode(cursor, out after)) return Invalid("cursor", "cursor is not one this API returned.");
        var zone = workflow.Calendar.TimeZone;
        if (!CaseQueryParameters.TryParseInstant(from, zone, out var fromAt)) return Invalid("from", "from is an ISO 8601 date or date-time.");
        if (!CaseQueryParameters.TryParseInstant(to, zone, out var toAt)) return Invalid("to", "to is an ISO 8601 date or date-time.");
        if (fromAt is { } f && toAt is { } t && f >= t) return Invalid("to", "to must be after from.");

        var now = time.GetUtcNow();
        var page = await readModel.ListAsync(new CaseListQuery
        {
            RegionCode = regionCode!,
            Status = statusFilter,
            CategoryCode = string.IsNullOrEmpty(category) ? null : category,
            Department = string.IsNullOrEmpty(department) ? null : department,
            From = fromAt,
            To = toAt,
            Light = light,
            PageSize = pageSize ?? CaseListQuery.DefaultPageSize,
            After = after,
        }, now, cancellationToken);
        if (page.Next is { } next)
        {
            var token = next.Encode();
            http.Response.Headers[NextCursorHeader] = token;
            var query = http.Request.Query.Where(q => q.Key != "cursor").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}");
            http.Response.Headers.Link = $"<{http.Request.Path}?{string.Join('&', query.Append($"cursor={token}"))}>; rel=\"next\"";
        }
        return Results.Json(page.Items.Select(i => CaseListItem.Of(i, workflow, now)).ToList(), Json);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (view, failure) = await VisibleAsync(id, http.User, grains);
        return failure ?? Results.Json(view, Json);
    }

    private static async Task<IResult> HistoryAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (_, failure) = await VisibleAsync(id, http.User, grains);
        return failure ?? Results.Json(await grains.GetGrain<ICaseGrain>(id).History(), Json);
    }

    private static async Task<IResult> CommandAsync(string id, HttpContext http, IGrainFactory grains, VerificationDispatcher verification, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CommandRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(body!.RequestId)) return Invalid("requestId", "requestId is required (a client-chosen id that makes retries safe).");
        if (!TryParse<CaseCommandKind>(body.Command, out var kind) || kind == CaseCommandKind.Report)
            return Invalid("command", $"command is one of {string.Join(", ", Enum.GetNames<CaseCommandKind>().Where(n => n != nameof(CaseCommandKind.Report)))}.");
        var fields = body.Fields ?? new CommandFields(null, null, null, null, null, null, null, null);
        CaseKind? caseKind = null;
        Urgency? urgency = null;
        if (fields.Kind is not null)
        {
            if (!TryParse<CaseKind>(fields.Kind, out var k)) return Invalid("fields.kind", "kind is Component or Event.");
            caseKind = k;
        }
        if (fields.Urgency is not null)
        {
            if (!TryParse<Urgency>(fields.Urgency, out var u)) return Invalid("fields.urgency", "urgency is Normal, Important or Urgent.");
            urgency = u;
        }

        var (_, failure) = await VisibleAsync(id, http.User, grains);
        if (failure is not null) return failure;

        var result = await grains.GetGrain<ICaseGrain>(id).Execute(new CaseCommand
        {
            RequestId = body.RequestId,
            Actor = ActorOf(http.User),
            Kind = kind,
            ExpectedVersion = body.ExpectedVersion,
            Note = fields.Note,
            Attachments = fields.Attachments,
            Department = fields.Department,
            CaseKind = caseKind,
            CategoryCode = fields.CategoryCode,
            Urgency = urgency,
            Confirmed = fields.Confirmed,
            ExtensionAmount = fields.ExtensionAmount,
            Worker = fields.Worker,
        });
        if (!result.Succeeded) return Failure(result);
        // A dispatcher sending a worker to verify by hand: the worker's terminal gets the task, as for an automatic choice.
        if (kind == CaseCommandKind.RequestVerification && !result.Replayed) await verification.NotifyAsync(result.View!, fields.Note, cancellationToken);
        return Results.Json(result.View, Json);
    }

    // Unknown → 404; outside the caller's scope → 403.
    private static async Task<(CaseView? View, IResult? Failure)> VisibleAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!CaseIds.IsValid(id)) return (null, NotFound(id));
        var view = await grains.GetGrain<ICaseGrain>(id).Get();
        if (view is null) return (null, NotFound(id));
        if (!user.CanSeeRegion(view.RegionCode)) return (null, Forbidden($"Case {id} is outside your region scope."));
        return (view, null);
    }

    internal static CaseActor ActorOf(ClaimsPrincipal user)
    {
        var name = user.GetUserName() ?? "";
        var role = user.GetRole() ?? "";
        var department = role == Roles.DepartmentHandler ? user.FindFirst(DepartmentClaim)?.Value ?? name : null;
        return new CaseActor(name, role, user.GetRegionScope().Code, department);
    }

    private static bool TryParse<T>(string? value, out T result) where T : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out result) && Enum.IsDefined(result) && !int.TryParse(value, out _);

    private static IResult Failure(CaseCommandResult result) => result.Status switch
    {
        CaseCommandStatus.Invalid => Invalid(result.Field ?? "command", result.Error ?? "Invalid command."),
        CaseCommandStatus.Forbidden => Forbidden(result.Error ?? "Not allowed."),
        CaseCommandStatus.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such case", detail: result.Error),
        CaseCommandStatus.IllegalTransition => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Illegal transition", detail: result.Error),
        _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Error),
    };

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid case request", detail: message);

    private static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such case", detail: $"There is no case {id}.");
}
