using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GridGov.Realtime.Silo.Tests.Intake;

public sealed class CitizenReportsApiTests(IntakeSiloFixture fx) : IClassFixture<IntakeSiloFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Body(string requestId, double lat, double lon, string description = "井盖缺失", string category = "component.0101") =>
        new { requestId, category, description, latitude = lat, longitude = lon, urgency = "Urgent" };

    [Fact]
    public async Task A_citizen_report_opens_a_case_in_verifying_and_a_retry_returns_the_same_case()
    {
        var (_, grid, lat, lon) = await fx.WorkerAsync(3, login: false);

        using var created = await fx.Integration.PostAsJsonAsync("/api/citizen-reports", Body("c-1", lat, lon), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = view.GetProperty("id").GetString()!;
        Assert.Equal($"/api/cases/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(("Verifying", grid, "Urgent", "app-12345"), (view.GetProperty("status").GetString(), view.GetProperty("regionCode").GetString(),
            view.GetProperty("urgency").GetString(), view.GetProperty("reportedBy").GetString()));

        using var retry = await fx.Integration.PostAsJsonAsync("/api/citizen-reports", Body("c-1", lat, lon), Ct);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(id, (await retry.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString());

        using var reused = await fx.Integration.PostAsJsonAsync("/api/citizen-reports", Body("c-1", lat, lon, "另一件事"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Single(await fx.CasesInAsync(grid));
    }

    [Fact]
    public async Task Bad_reports_get_a_problem_naming_the_field_and_create_nothing()
    {
        var (_, grid, lat, lon) = await fx.WorkerAsync(4, login: false);
        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { requestId = "b-1", description = "x", latitude = lat, longitude = lon }, "category"),
                     (Body("b-2", lat, lon, category: "event.9999"), "category"),
                     (Body("b-3", lat, lon, description: " "), "description"),
                     (Body("b-4", 1.0, 1.0), "latitude"),
                     (new { requestId = "b-5", category = "event.0102", description = "x", latitude = lat }, "longitude"),
                     (Body("has space", lat, lon), "requestId"),
                 })
        {
            using var response = await fx.Integration.PostAsJsonAsync("/api/citizen-reports", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
        }
        using var unknown = await fx.Integration.PostAsJsonAsync("/api/citizen-reports", new { category = "event.0102", colour = "red" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Empty(await fx.CasesInAsync(grid));
    }

    [Fact]
    public async Task Only_reporting_roles_within_their_scope_may_report()
    {
        var (_, grid, lat, lon) = await fx.WorkerAsync(5, login: false);
        Assert.False(grid.StartsWith(fx.OtherDistrict, StringComparison.Ordinal));

        using var anonymous = await fx.Anonymous.PostAsJsonAsync("/api/citizen-reports", Body("s-1", lat, lon), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var handler = await fx.Handler.PostAsJsonAsync("/api/citizen-reports", Body("s-2", lat, lon), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, handler.StatusCode);
        using var outside = await fx.DistrictIntegration.PostAsJsonAsync("/api/citizen-reports", Body("s-3", lat, lon), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Empty(await fx.CasesInAsync(grid));
    }
}
