using System.Text.Json;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Intake;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Intake;

/// <summary>
/// A subset of Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), JSON only, under <see cref="Prefix"/>: the service
/// list (one service per catalogue category, code <c>component.0101</c> / <c>event.0102</c>), posting a request (a
/// citizen's report: the case id is the <c>service_request_id</c>, issued at once, so no token is ever returned),
/// searching requests and getting one. Every route needs a bearer token of an integration account, command staff or
/// an admin (the spec's <c>api_key</c> parameter is not used), and sees and reports only within the account's region
/// scope. Errors are the spec's <c>[{code, description}]</c> with the HTTP status.
/// </summary>
public static class Open311Api
{
    public const string Prefix = "/open311/v2";

    /// <summary>The spec's default window for GET requests without dates, and its cap on results.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);
    public const int MaxResults = 1000;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string> ParameterNames = new(StringComparer.Ordinal)
    {
        ["category"] = "service_code",
        ["kind"] = "service_code",
        ["latitude"] = "lat",
        ["longitude"] = "long",
        ["photos"] = "media_url",
        ["contact"] = "email",
        ["requestId"] = "Idempotency-Key",
    };

    public static IEndpointRouteBuilder MapOpen311Api(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).RequireAuthorization(IntakePolicies.Reporter).WithTags("Open311");
        group.MapGet("/services.json", Services).WithName("Open311Services")
            .WithSummary("GeoReport v2 service list: one service per catalogue category (service_code component.0101, event.0102...).");
        group.MapPost("/requests.json", PostAsync).WithName("Open311PostRequest")
            .WithSummary("GeoReport v2 POST request (form or JSON: service_code, lat, long, description, media_url, email, first_name, last_name, phone): opens a case needing 核实; service_request_id is the case id. Optional Idempotency-Key header.");
        group.MapGet("/requests.json", SearchAsync).WithName("Open311GetRequests")
            .WithSummary("GeoReport v2 requests in the caller's scope: service_request_id (comma list, overrides the rest), service_code, start_date, end_date (default the last 90 days), status open|closed; at most 1000, newest first.");
        group.MapGet("/requests/{id}.json", GetAsync).WithName("Open311GetRequest")
            .WithSummary("GeoReport v2 one request by service_request_id (the case id).");
        return app;
    }

    private static IResult Services(CategoryCatalog catalog)
    {
        var majors = catalog.MajorClasses.ToDictionary(m => (m.Kind, m.Code), m => m.Name);
        return Results.Json(catalog.Categories.Select(c => new Open311Service(
            CategoryRef.ServiceCode(c),
            c.Name,
            c.FilingConditions.Count == 0 ? c.Name : string.Join("; ", c.FilingConditions),
            Metadata: false,
            Type: "realtime",
            Keywords: c.Kind == CaseKind.Component ? "部件" : "事件",
            Group: majors.GetValueOrDefault((c.Kind, c.MajorCode)) ?? c.MajorCode)).ToList(), Json);
    }

    private static async Task<IResult> PostAsync(HttpContext http, PublicReportIntake intake, CancellationToken cancellationToken)
    {
        var (read, error) = await Open311Parameters.ReadAsync(http.Request, cancellationToken);
        if (read is not { } fields) return Open311Errors.Of(StatusCodes.Status400BadRequest, error!);
        if (string.IsNullOrWhiteSpace(fields.GetValueOrDefault("service_code"))) return Open311Errors.Of(StatusCodes.Status400BadRequest, "service_code is required.");
        if (!Open311Parameters.TryCoordinate(fields, "lat", out var lat, out error) || !Open311Parameters.TryCoordinate(fields, "long", out var lon, out error))
            return Open311Errors.Of(StatusCodes.Status400BadRequest, error!);
        if (lat is null || lon is null)
            return Open311Errors.Of(StatusCodes.Status400BadRequest, "lat and long are required (address_string and address_id are not supported here).");
        var media = fields.GetValueOrDefault("media_url");
        var name = string.Join(' ', new[] { fields.GetValueOrDefault("first_name"), fields.GetValueOrDefault("last_name") }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var contact = string.Join(", ", new[] { name, fields.GetValueOrDefault("email"), fields.GetValueOrDefault("phone") }.Where(s => !string.IsNullOrWhiteSpace(s)));
        string? idempotencyKey = http.Request.Headers["Idempotency-Key"];

        var result = await intake.SubmitAsync(http.User, new PublicReport(
            IntakeChannels.Open311, string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey, fields["service_code"], null, null,
            fields.GetValueOrDefault("description"), lat, lon, string.IsNullOrWhiteSpace(media) ? null : [media.Trim()],
            contact.Length == 0 ? null : contact));
        if (!result.Succeeded) return Failure(result);
        var view = result.View!;
        http.Response.Headers.Location = $"{Prefix}/requests/{view.Id}.json";
        return Results.Json(new[] { new Open311Created(view.Id, Notice(view), null) }, Json,
            statusCode: result.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> SearchAsync(HttpContext http, IGrainFactory grains, ICaseEventStore store, CategoryCatalog catalog, TimeProvider time,
        string? service_request_id, string? service_code, string? start_date, string? end_date, string? status, CancellationToken cancellationToken)
    {
        var scope = http.User.GetRegionScope();
        if (!string.IsNullOrWhiteSpace(service_request_id))
        {
            // The spec: a list of ids overrides every other parameter.
            var list = new List<Open311Request>();
            foreach (var id in service_request_id.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(MaxResults))
            {
                if (!CaseIds.IsValid(id)) return Open311Errors.Of(StatusCodes.Status400BadRequest, $"service_request_id '{id}' is not a request id.");
                if (await grains.GetGrain<ICaseGrain>(id).Get() is { } v && scope.Covers(v.RegionCode)) list.Add(ToRequest(v, catalog));
            }
            return Results.Json(list, Json);
        }

        HashSet<string>? codes = null;
        if (!string.IsNullOrWhiteSpace(service_code))
        {
            codes = new(StringComparer.Ordinal);
            foreach (var code in service_code.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!CategoryRef.TryResolve(catalog, null, code, out var category, out var error)) return Open311Errors.Of(StatusCodes.Status400BadRequest, $"service_code: {error}");
                codes.Add(CategoryRef.ServiceCode(category!));
            }
        }
        if (!Open311Parameters.TryDate(start_date, "start_date", out var from, out var dateError) || !Open311Parameters.TryDate(end_date, "end_date", out var to, out dateError))
            return Open311Errors.Of(StatusCodes.Status400BadRequest, dateError!);
        if (from is null && to is null) from = time.GetUtcNow() - DefaultWindow;
        if (from > to) return Open311Errors.Of(StatusCodes.Status400BadRequest, "start_date is after end_date.");
        bool? wantOpen = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            var states = status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLowerInvariant()).ToHashSet();
            if (states.Any(s => s is not ("open" or "closed"))) return Open311Errors.Of(StatusCodes.Status400BadRequest, "status is open, closed, or open,closed.");
            if (states.Count == 1) wantOpen = states.Contains("open");
        }
        if (scope.IsNone) return Results.Json(Array.Empty<Open311Request>(), Json);

        var found = new List<Open311Request>();
        // Newest first; a stop-gap scan of the newest cases in scope until the case read models exist.
        foreach (var id in await store.ListCaseIdsAsync(RegionScopeRule.SignificantPrefix(scope.Code!).ToString(), MaxResults, cancellationToken))
        {
            if (await grains.GetGrain<ICaseGrain>(id).Get() is not { } v || !scope.Covers(v.RegionCode)) continue;
            if (from is { } f && v.ReportedAt < f) continue;
            if (to is { } t && v.ReportedAt > t) continue;
            if (wantOpen is { } open && IsOpen(v) != open) continue;
            var request = ToRequest(v, catalog);
            if (codes is not null && !codes.Contains(request.ServiceCode)) continue;
            found.Add(request);
        }
        return Results.Json(found, Json);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains, CategoryCatalog catalog)
    {
        if (!CaseIds.IsValid(id) || await grains.GetGrain<ICaseGrain>(id).Get() is not { } view)
            return Open311Errors.Of(StatusCodes.Status404NotFound, $"There is no service request {id}.");
        if (!http.User.CanSeeRegion(view.RegionCode))
            return Open311Errors.Of(StatusCodes.Status403Forbidden, $"Service request {id} is outside your region scope.");
        return Results.Json(new[] { ToRequest(view, catalog) }, Json);
    }

    private static Open311Request ToRequest(CaseView v, CategoryCatalog catalog)
    {
        var category = catalog.Find(v.Kind, v.CategoryCode);
        return new Open311Request(
            v.Id,
            IsOpen(v) ? "open" : "closed",
            StatusNote(v),
            category?.Name ?? v.CategoryName,
            category is null ? $"{v.Kind.ToString().ToLowerInvariant()}.{v.CategoryCode}" : CategoryRef.ServiceCode(category),
            v.Description,
            v.Department,
            Notice(v),
            v.ReportedAt,
            v.UpdatedAt,
            v.Deadline,
            Address: null,
            AddressId: v.RegionCode,
            Zipcode: null,
            v.Latitude,
            v.Longitude,
            v.Attachments.Count > 0 ? v.Attachments[0] : null);
    }

    private static bool IsOpen(CaseView v) => v.Status is not (CaseStatus.Closed or CaseStatus.Void);

    private static string StatusNote(CaseView v) => v.Status switch
    {
        CaseStatus.Verifying => "Waiting for a grid worker to verify on site (核实).",
        CaseStatus.Reported => "Received; waiting to be filed (立案).",
        CaseStatus.Void => "Closed without action: it did not meet a filing condition (作废).",
        CaseStatus.Closed => "Resolved and checked (结案).",
        _ => $"In progress ({v.Status}).",
    };

    private static string Notice(CaseView v) => v.Verifier is { } worker
        ? $"A grid worker ({worker}) will verify the report on site."
        : "The report will be verified on site before it is filed.";

    private static IResult Failure(CaseIntakeResult result)
    {
        var field = result.Field is { } f ? ParameterNames.GetValueOrDefault(f, f) : null;
        var text = field is null ? result.Error ?? "Invalid request." : $"{field}: {result.Error}";
        return result.Status switch
        {
            CaseCommandStatus.Invalid => Open311Errors.Of(StatusCodes.Status400BadRequest, text),
            CaseCommandStatus.Forbidden => Open311Errors.Of(StatusCodes.Status403Forbidden, text),
            _ => Open311Errors.Of(StatusCodes.Status409Conflict, text),
        };
    }
}
