using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Intake;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Cases;

namespace GridGov.Realtime.Silo.Intake;

/// <summary>
/// A citizen's report over REST (citizen app backend, 12345 hotline system), for an integration account (role
/// <c>integration</c>), command staff or an admin. The case starts in Verifying (an integration's report; staff-entered
/// ones go to Verifying as the worker is sent) and goes to the nearest on-duty grid worker of the point's grid for 核实.
/// </summary>
public static class CitizenReportsApi
{
    public static IEndpointRouteBuilder MapCitizenReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/citizen-reports", ReportAsync)
            .RequireAuthorization(IntakePolicies.Reporter)
            .WithTags("Intake")
            .WithName("ReportCitizenCase")
            .WithSummary("Report a citizen's case (needs 核实): the point's grid is located, the case opened and sent to the nearest on-duty grid worker. Idempotent by requestId.");
        return app;
    }

    internal sealed record ContactFields(string? Name, string? Email, string? Phone);

    internal sealed record CitizenReportRequest(
        string? RequestId, string? Category, string? Kind, string? Urgency, string? Description,
        double? Latitude, double? Longitude, List<string>? Photos, ContactFields? Contact);

    private static async Task<IResult> ReportAsync(HttpContext http, PublicReportIntake intake, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CitizenReportRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        var contact = body!.Contact is { } c
            ? string.Join(", ", new[] { c.Name, c.Email, c.Phone }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()))
            : null;
        var result = await intake.SubmitAsync(http.User, new PublicReport(
            IntakeChannels.Citizen, body.RequestId, body.Category, body.Kind, body.Urgency, body.Description,
            body.Latitude, body.Longitude, body.Photos, string.IsNullOrEmpty(contact) ? null : contact));
        if (!result.Succeeded) return Failure(result);
        http.Response.Headers.Location = $"/api/cases/{result.View!.Id}";
        return Results.Json(result.View, CasesApi.Json, statusCode: result.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static IResult Failure(CaseIntakeResult result) => result.Status switch
    {
        CaseCommandStatus.Invalid => Results.ValidationProblem(
            new Dictionary<string, string[]> { [result.Field ?? "report"] = [result.Error ?? "Invalid report."] },
            title: "Invalid citizen report", detail: result.Error),
        CaseCommandStatus.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Error),
        _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Error),
    };
}

/// <summary>Who may report citizens' cases: integration accounts, command staff (entering a call) and admins.</summary>
public static class IntakePolicies
{
    public const string Reporter = "GridGov.IntakeReporter";
}
