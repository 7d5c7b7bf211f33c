using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GridGov.Realtime.Silo.Tests.Cases;

public sealed class StatisticsApiTests
{
    private const string Grid = "31010400101";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Users(HttpClient Admin, HttpClient Staff, HttpClient Worker, HttpClient Water, HttpClient Power, HttpClient Outsider);

    private static async Task<Users> UsersAsync(SiloFactory factory)
    {
        return new Users(await factory.CreateAdminClientAsync(),
            await factory.CreateUserClientAsync("staff1", "command_staff", "310104"),
            await factory.CreateUserClientAsync("worker1", "grid_worker", "310104001"),
            await factory.CreateUserClientAsync("water", "department_handler", "310104"),
            await factory.CreateUserClientAsync("power", "department_handler", "310104"),
            await factory.CreateUserClientAsync("staff9", "command_staff", "310105"));
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    private static async Task<string> ReportAsync(HttpClient client, string category = "0101")
    {
        using var response = await client.PostAsync("/api/cases", new StringContent(
            $$"""{"categoryCode":"{{category}}","kind":"Component","urgency":"Normal","description":"井盖破损","regionCode":"{{Grid}}"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task CommandAsync(HttpClient client, string id, string command, object? fields = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/cases/{id}/commands", new { requestId = Guid.NewGuid().ToString("N"), command, fields }, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{command}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    // One case closed with every step on time (water) and one dispatched to power and still open.
    private static async Task<(string Closed, string Open)> SeedAsync(Users u)
    {
        var closed = await ReportAsync(u.Worker);
        await CommandAsync(u.Staff, closed, "File");
        await CommandAsync(u.Staff, closed, "Dispatch", new { department = "water" });
        await CommandAsync(u.Water, closed, "Accept");
        await CommandAsync(u.Water, closed, "SubmitFeedback");
        await CommandAsync(u.Staff, closed, "RequestCheck");
        await CommandAsync(u.Worker, closed, "PassCheck");
        await CommandAsync(u.Staff, closed, "Close");
        var open = await ReportAsync(u.Worker, "0102");
        await CommandAsync(u.Staff, open, "File");
        await CommandAsync(u.Staff, open, "Dispatch", new { department = "power" });
        return (closed, open);
    }

    [Fact]
    public async Task A_district_gets_its_rates_score_grade_live_counts_and_rankings()
    {
        using var factory = new SiloFactory();
        var u = await UsersAsync(factory);
        await SeedAsync(u);

        var stats = await GetJsonAsync(u.Staff, "/api/statistics/regions/310104");
        var a = stats.GetProperty("assessment");
        var rates = a.GetProperty("rates");
        Assert.Equal((50m, 50m, 50m, 0m, 0m), (rates.GetProperty("closureRate").GetDecimal(), rates.GetProperty("onTimeClosureRate").GetDecimal(),
            rates.GetProperty("onTimeHandlingRate").GetDecimal(), rates.GetProperty("reworkRate").GetDecimal(), rates.GetProperty("overdueRate").GetDecimal()));
        // (100 − 监督举报率 0) × 10% + 立案数 2 → 90 × 20% + 结案率 50 × 30% + 按期结案率 50 × 40% = 63 → C.
        Assert.Equal((63m, "C"), (a.GetProperty("score").GetDecimal(), a.GetProperty("grade").GetString()));
        Assert.Equal((1, 0, 0), (stats.GetProperty("live").GetProperty("open").GetInt32(), stats.GetProperty("live").GetProperty("overdue").GetInt32(), stats.GetProperty("live").GetProperty("escalated").GetInt32()));

        var departments = (await GetJsonAsync(u.Staff, "/api/statistics/departments")).GetProperty("items");
        Assert.Equal([("water", 1, "A"), ("power", 2, "D")],
            departments.EnumerateArray().Select(d => (d.GetProperty("objectId").GetString(), d.GetProperty("rank").GetInt32(), d.GetProperty("grade").GetString())));

        var workers = (await GetJsonAsync(u.Staff, "/api/statistics/workers?region=310104")).GetProperty("items");
        var worker = Assert.Single(workers.EnumerateArray());
        Assert.Equal(("worker1", 100m), (worker.GetProperty("objectId").GetString(), worker.GetProperty("score").GetDecimal()));

        var districts = (await GetJsonAsync(u.Admin, "/api/statistics/regions/310100/rankings")).GetProperty("items");
        var district = Assert.Single(districts.EnumerateArray());
        Assert.Equal(("310104", 1, 63m), (district.GetProperty("objectId").GetString(), district.GetProperty("rank").GetInt32(), district.GetProperty("score").GetDecimal()));
    }

    [Fact]
    public async Task The_monthly_series_has_twelve_months_with_this_months_cases()
    {
        using var factory = new SiloFactory();
        var u = await UsersAsync(factory);
        await SeedAsync(u);
        var beijing = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)); // the working calendar's zone

        var monthly = await GetJsonAsync(u.Staff, $"/api/statistics/regions/310104/monthly?year={beijing.Year}");

        var months = monthly.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 12), months.Select(m => m.GetProperty("month").GetInt32()));
        var now = months[beijing.Month - 1];
        Assert.Equal((2, 1), (now.GetProperty("reported").GetInt32(), now.GetProperty("closed").GetInt32()));
        Assert.Equal(2, months.Sum(m => m.GetProperty("reported").GetInt32()));
        var lastYear = await GetJsonAsync(u.Staff, $"/api/statistics/regions/310104/monthly?year={beijing.Year - 1}");
        Assert.All(lastYear.GetProperty("months").EnumerateArray(), m => Assert.Equal(0, m.GetProperty("reported").GetInt32()));
    }

    [Fact]
    public async Task A_region_outside_the_callers_scope_is_forbidden_everywhere()
    {
        using var factory = new SiloFactory();
        var u = await UsersAsync(factory);
        await SeedAsync(u);

        foreach (var path in new[]
                 {
                     "/api/statistics/regions/310104", "/api/statistics/regions/310104/rankings", "/api/statistics/regions/310104/monthly",
                     "/api/statistics/departments?region=310104", "/api/statistics/workers?region=310104", "/api/cases?region=310104",
                     "/api/statistics/regions/310100",
                 })
        {
            using var response = await u.Outsider.GetAsync(path, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
        }
        // Their own scope is theirs, and empty.
        Assert.Empty((await GetJsonAsync(u.Outsider, "/api/statistics/departments")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, (await GetJsonAsync(u.Outsider, "/api/cases")).GetArrayLength());
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/statistics/regions/310104", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/api/statistics/regions/31-04", "code")]
    [InlineData("/api/statistics/regions/310104?from=yesterday", "from")]
    [InlineData("/api/statistics/regions/310104?from=2026-03-01&to=2026-02-01", "to")]
    [InlineData("/api/statistics/regions/310104/monthly?year=1999", "year")]
    [InlineData("/api/statistics/regions/31010400101/rankings", "code")]
    [InlineData("/api/statistics/departments?region=x", "region")]
    [InlineData("/api/cases?status=Nope", "status")]
    [InlineData("/api/cases?trafficLight=Blue", "trafficLight")]
    [InlineData("/api/cases?pageSize=0", "pageSize")]
    [InlineData("/api/cases?pageSize=201", "pageSize")]
    [InlineData("/api/cases?cursor=abc", "cursor")]
    [InlineData("/api/cases?from=2026-13-01", "from")]
    public async Task A_bad_query_gets_400_naming_the_field(string path, string field)
    {
        using var factory = new SiloFactory();
        var admin = await factory.CreateAdminClientAsync();
        var problem = await GetJsonAsync(admin, path, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task The_case_list_filters_and_pages_with_a_cursor()
    {
        using var factory = new SiloFactory();
        var u = await UsersAsync(factory);
        var (closed, open) = await SeedAsync(u);
        var third = await ReportAsync(u.Worker);

        Assert.Equal([closed], (await GetJsonAsync(u.Staff, "/api/cases?status=Closed")).EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal([open], (await GetJsonAsync(u.Staff, "/api/cases?department=power")).EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal([open], (await GetJsonAsync(u.Staff, "/api/cases?category=0102&region=310104")).EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Empty((await GetJsonAsync(u.Staff, "/api/cases?to=2020-01-01")).EnumerateArray());
        Assert.Equal(3, (await GetJsonAsync(u.Staff, "/api/cases?from=2020-01-01")).GetArrayLength());
        var green = (await GetJsonAsync(u.Staff, "/api/cases?trafficLight=Green")).EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal([third, open], green);

        using var first = await u.Staff.GetAsync("/api/cases?pageSize=2&region=310104", Ct);
        var cursor = first.Headers.GetValues("X-Next-Cursor").Single();
        Assert.Contains($"cursor={cursor}", first.Headers.GetValues("Link").Single());
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single());
        using var page1 = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct));
        Assert.Equal([third, open], page1.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        using var second = await u.Staff.GetAsync($"/api/cases?pageSize=2&region=310104&cursor={cursor}", Ct);
        Assert.False(second.Headers.Contains("X-Next-Cursor"));
        using var page2 = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal([closed], page2.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_statistics_routes_are_in_the_openapi_document()
    {
        using var factory = new SiloFactory();
        var admin = await factory.CreateAdminClientAsync();
        var text = (await GetJsonAsync(admin, "/openapi/v1.json")).ToString();
        foreach (var name in new[] { "GetRegionStatistics", "GetRegionRankings", "GetRegionMonthly", "GetDepartmentStatistics", "GetWorkerStatistics", "ListCases" })
            Assert.Contains($"\"{name}\"", text);
    }
}
