using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GridGov.Realtime.Silo.Tests.Cases;

public sealed class CasesApiTests
{
    private const string Password = "long-enough-pass";
    private const string Grid = "31010400101";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ReportBody(string region = Grid) =>
        $$"""{"categoryCode":"0101","kind":"Component","urgency":"Normal","description":"井盖破损","regionCode":"{{region}}","latitude":31.2,"longitude":121.4,"attachments":["https://files.example/1.jpg"]}""";

    private static async Task<HttpClient> UserAsync(SiloFactory factory, HttpClient admin, string name, string role, string scope)
    {
        using (var created = await admin.PostAsJsonAsync("/api/users", new { username = name, password = Password, role, region_scope = scope }, Ct))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = factory.CreateClient();
        using var token = await client.PostAsJsonAsync("/api/auth/token", new { username = name, password = Password }, Ct);
        using var body = JsonDocument.Parse(await token.Content.ReadAsStringAsync(Ct));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("access_token").GetString());
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.Clone();
    }

    private static async Task<string> ReportAsync(HttpClient client, string region = Grid)
    {
        using var response = await PostAsync(client, "/api/cases", ReportBody(region));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await JsonOf(response);
        var id = view.GetProperty("id").GetString()!;
        Assert.Equal($"/api/cases/{id}", response.Headers.Location?.ToString());
        Assert.Matches("^C[0-9]{8}[0-9]{6}$", id);
        return id;
    }

    private static async Task<JsonElement> CommandAsync(HttpClient client, string id, string command, object? fields = null, HttpStatusCode expected = HttpStatusCode.OK, string? requestId = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/cases/{id}/commands",
            new { requestId = requestId ?? Guid.NewGuid().ToString("N"), command, fields }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{command}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task An_admin_takes_a_public_report_from_report_to_closed()
    {
        using var factory = new SiloFactory();
        var admin = await factory.CreateAdminClientAsync();
        var id = await ReportAsync(admin);
        foreach (var (command, fields) in new (string, object?)[]
                 {
                     ("RequestVerification", null), ("Verify", new { confirmed = true }), ("File", null), ("Dispatch", new { department = "water" }),
                     ("Accept", null), ("SubmitFeedback", new { attachments = new[] { "https://files.example/after.jpg" } }),
                     ("RequestCheck", null), ("PassCheck", null), ("Close", new { note = "已修复" }),
                 })
        {
            await CommandAsync(admin, id, command, fields);
        }
        var view = await JsonOf(await admin.GetAsync($"/api/cases/{id}", Ct));
        Assert.Equal("Closed", view.GetProperty("status").GetString());
        Assert.Equal(10, view.GetProperty("version").GetInt64());
        var history = await JsonOf(await admin.GetAsync($"/api/cases/{id}/history", Ct));
        Assert.Equal(10, history.GetArrayLength());
        Assert.Equal("reported", history[0].GetProperty("type").GetString());
        Assert.Equal("admin", history[9].GetProperty("actorName").GetString());
        var list = await JsonOf(await admin.GetAsync("/api/cases", Ct));
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Each_role_does_its_own_step_of_a_patrol_report()
    {
        using var factory = new SiloFactory();
        var admin = await factory.CreateAdminClientAsync();
        var staff = await UserAsync(factory, admin, "staff1", "command_staff", "310104");
        var worker = await UserAsync(factory, admin, "worker1", "grid_worker", "310104001");
        var water = await UserAsync(factory, admin, "water", "department_handler", "310104");
        var power = await UserAsync(factory, admin, "power", "department_handler", "310104");

        var id = await ReportAsync(worker);
        var reported = await JsonOf(await staff.GetAsync($"/api/cases/{id}", Ct));
        Assert.Equal(("Reported", "Filing", "Green"), (reported.GetProperty("status").GetString(), reported.GetProperty("step").GetString(), reported.GetProperty("light").GetString()));

        await CommandAsync(water, id, "File", expected: HttpStatusCode.Forbidden);
        await CommandAsync(staff, id, "Close", expected: HttpStatusCode.Conflict);
        await CommandAsync(staff, id, "File");
        var dispatched = await CommandAsync(staff, id, "Dispatch", new { department = "water" }, requestId: "dispatch-1");
        var repeated = await CommandAsync(staff, id, "Dispatch", new { department = "water" }, requestId: "dispatch-1");
        Assert.Equal(dispatched.GetProperty("version").GetInt64(), repeated.GetProperty("version").GetInt64());
        Assert.Equal("Handling", dispatched.GetProperty("step").GetString());
        Assert.True(dispatched.TryGetProperty("deadline", out var deadline) && deadline.ValueKind == JsonValueKind.String);

        await CommandAsync(power, id, "Accept", expected: HttpStatusCode.Forbidden);
        await CommandAsync(water, id, "Accept");
        await CommandAsync(water, id, "SubmitFeedback", new { note = "已更换井盖", attachments = new[] { "https://files.example/after.jpg" } });
        await CommandAsync(staff, id, "RequestCheck");
        await CommandAsync(worker, id, "FailCheck", new { note = "井盖松动" });
        await CommandAsync(water, id, "Accept");
        await CommandAsync(water, id, "SubmitFeedback");
        await CommandAsync(staff, id, "RequestCheck");
        await CommandAsync(worker, id, "PassCheck");
        var closed = await CommandAsync(staff, id, "Close");
        Assert.Equal(("Closed", 1), (closed.GetProperty("status").GetString(), closed.GetProperty("reworkCount").GetInt32()));

        var stale = await CommandAsync(staff, id, "Supervise", new { note = "x" }, expected: HttpStatusCode.Conflict);
        Assert.Equal(409, stale.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_user_of_another_district_can_neither_see_list_nor_act_on_a_case()
    {
        using var factory = new SiloFactory();
        var admin = await factory.CreateAdminClientAsync();
        var staff = await UserAsync(factory, admin, "staff1", "command_staff", "310104");
        var outsider = await UserAsync(factory, admin, "staff9", "command_staff", "310105");
        var id = await ReportAsync(staff);
        var theirs = await ReportAsync(outsider, "31010500101");

        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/cases/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/cases/{id}/history", Ct)).StatusCode);
        await CommandAsync(outsider, id, "RequestVerification", expected: HttpStatusCode.Forbidden);
        using (var report = await PostAsync(outsider, "/api/cases", ReportBody()))
            Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);

        var listed = await JsonOf(await outsider.GetAsync("/api/cases", Ct));
        Assert.Equal([theirs], listed.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync("/api/cases?region=310104", Ct)).StatusCode);
        var mine = await JsonOf(await staff.GetAsync("/api/cases", Ct));
        Assert.Equal([id], mine.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/cases/C20990101000001", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/cases/not-an-id", Ct)).StatusCode);
        Assert.Equal("Reported", (await JsonOf(await staff.GetAsync($"/api/cases/{id}", Ct))).GetProperty("status").GetString());
    }

    [Fact]
    public void The_workflow_role_names_are_the_token_role_names()
    {
        Assert.Equal(
            [Realtime.Silo.Auth.Roles.Admin, Realtime.Silo.Auth.Roles.CommandStaff, Realtime.Silo.Auth.Roles.DepartmentHandler, Realtime.Silo.Auth.Roles.GridWorker, Realtime.Silo.Auth.Roles.Responder],
            [Realtime.Grains.Cases.CaseRoles.Admin, Realtime.Grains.Cases.CaseRoles.CommandStaff, Realtime.Grains.Cases.CaseRoles.DepartmentHandler, Realtime.Grains.Cases.CaseRoles.GridWorker, Realtime.Grains.Cases.CaseRoles.Responder]);
    }

    [Theory]
    [InlineData("""{"categoryCode":"0101","kind":"Component","urgency":"Normal","description":"x"}""", "regionCode")]
    [InlineData("""{"categoryCode":"0101","kind":"Component","urgency":"Normal","description":"x","regionCode":"31-01"}""", "regionCode")]
    [InlineData("""{"categoryCode":"0101","kind":"Thing","urgency":"Normal","description":"x","regionCode":"31010400101"}""", "kind")]
    [InlineData("""{"categoryCode":"0101","kind":"Component","urgency":"7","description":"x","regionCode":"31010400101"}""", "urgency")]
    [InlineData("""{"categoryCode":"9999","kind":"Component","urgency":"Normal","description":"x","regionCode":"31010400101"}""", "categoryCode")]
    [InlineData("""{"categoryCode":"0101","kind":"Component","urgency":"Normal","regionCode":"31010400101"}""", "description")]
    [InlineData("""{"categoryCode":"0101","kind":"Component","urgency":"Normal","description":"x","regionCode":"31010400101","latitude":95,"longitude":1}""", "latitude")]
    public async Task A_bad_report_gets_400_naming_the_field(string json, string field)
    {
        using var factory = new SiloFactory();
        var admin = await factory.CreateAdminClientAsync();
        using var response = await PostAsync(admin, "/api/cases", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Malformed_bodies_and_commands_get_400()
    {
        using var factory = new SiloFactory();
        var admin = await factory.CreateAdminClientAsync();
        var id = await ReportAsync(admin);
        using (var notJson = await PostAsync(admin, "/api/cases", "{not json"))
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using (var unknownField = await PostAsync(admin, "/api/cases", """{"categoryCode":"0101","colour":"red"}"""))
            Assert.Contains("colour", (await JsonOf(unknownField)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using (var text = await admin.PostAsync("/api/cases", new StringContent(ReportBody(), Encoding.UTF8, "text/plain"), Ct))
            Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);

        foreach (var (json, field) in new[]
                 {
                     ("""{"command":"File"}""", "requestId"),
                     ("""{"requestId":"r1","command":"Fly"}""", "command"),
                     ("""{"requestId":"r1","command":"Report"}""", "command"),
                     ("""{"requestId":"r1","command":"Void"}""", "note"),
                     ("""{"requestId":"has space","command":"RequestVerification"}""", "requestId"),
                     ("""{"requestId":"r1","command":"File","fields":{"urgency":"Very"}}""", "fields.urgency"),
                 })
        {
            using var response = await PostAsync(admin, $"/api/cases/{id}/commands", json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty(field, out _), json);
        }
        using (var unknownCase = await PostAsync(admin, "/api/cases/C20990101000001/commands", """{"requestId":"r1","command":"File"}"""))
            Assert.Equal(HttpStatusCode.NotFound, unknownCase.StatusCode);
        Assert.Equal(1, (await JsonOf(await admin.GetAsync($"/api/cases/{id}", Ct))).GetProperty("version").GetInt64());
    }
}
