using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GridGov.Realtime.Dashboard.Tests.Live;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Tests.Devices;
using GridGov.Realtime.Silo.Tests.Intake;

namespace GridGov.Realtime.Silo.Tests.Loop;

/// <summary>
/// Issue 5's "Done when" against the real host on Kestrel with its MQTT edge: a case from each intake channel — a
/// citizen's report (REST), a grid worker's field report (MQTT) and a sensor's event (MQTT) — travels the whole
/// loop of DOMAIN.md §5 (核实 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案) through the REST commands of the people
/// who own each step, while the district's command centre (a real SignalR client) sees every change with its
/// deadline and a warning issued for the district, and another district's centre sees none of it.
/// Escalation of overdue steps needs the clock to run past a limit of hours; it is proven on fake time by the
/// case escalation tests (tests/Grains.Tests Cases, tests/Dashboard.Tests Live/CaseLiveTests), not here on the real clock.
/// </summary>
public sealed class FullLoopTests(IntakeSiloFixture fx) : IClassFixture<IntakeSiloFixture>
{
    private const string Department = "water-handler"; // fx.Handler's login; a handler's department is their user name
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Statuses = ["Reported", "Filed", "Dispatched", "Handling", "Feedback", "Checking", "Closed"];

    private sealed record Worker(string Id, string Grid, double Lat, double Lon, HttpClient Http) : IDisposable
    {
        public void Dispose() => Http.Dispose();
    }

    [Fact]
    public async Task A_citizen_report_a_field_report_and_a_sensor_event_each_reach_closed_seen_live_by_their_district_centre_only()
    {
        var baseAddress = fx.Admin.BaseAddress!;
        var district = DistrictOf((await fx.WorkerAsync(0, login: false)).Grid);
        var other = fx.Demo.City.Tree.Roots[0].Children.First(d => d.Code != district).Code;
        var (citizenWorker, fieldWorker, sensorWorker) = await ThreeWorkersInAsync(district);
        using var c1 = citizenWorker;
        using var c2 = fieldWorker;
        using var c3 = sensorWorker;
        var staffToken = await LoopClients.CreateUserAsync(fx.Admin, "loop-staff-a", Roles.CommandStaff, district);
        var otherToken = await LoopClients.CreateUserAsync(fx.Admin, "loop-staff-b", Roles.CommandStaff, other);
        using var staff = LoopClients.Client(baseAddress, staffToken);

        await using var centre = NodeScript.Start("signalr-client.mjs", new { url = baseAddress.ToString().TrimEnd('/'), token = staffToken, subscribe = new[] { district }, timeoutMs = 120_000 });
        await using var otherCentre = NodeScript.Start("signalr-client.mjs", new { url = baseAddress.ToString().TrimEnd('/'), token = otherToken, subscribe = new[] { other }, timeoutMs = 120_000 });
        await centre.UntilAsync("ready");
        await otherCentre.UntilAsync("ready");

        // A warning for the district (DOMAIN.md §7) reaches its centre live.
        var warningId = await IssueWarningAsync(district, "loop-warning-a");
        var (warning, _) = await centre.UntilAsync("Warning");
        Assert.Equal((warningId, district, "Yellow"), (warning.GetProperty("data").GetProperty("warningId").GetString(),
            warning.GetProperty("data").GetProperty("regionCode").GetString(), warning.GetProperty("data").GetProperty("level").GetString()));

        var cases = new[]
        {
            await CitizenReportAsync(citizenWorker, staff),
            await FieldReportAsync(fieldWorker, staff),
            await SensorEventAsync(sensorWorker, staff),
        };

        // The centre saw every step of every case, in order, each open step with its deadline.
        var updates = await UpdatesUntilClosedAsync(centre, cases);
        foreach (var id in cases)
        {
            var mine = updates.Where(u => u.GetProperty("caseId").GetString() == id).ToList();
            Assert.Equal(mine.Select(u => u.GetProperty("version").GetInt64()).Order(), mine.Select(u => u.GetProperty("version").GetInt64()));
            var seen = mine.Select(u => u.GetProperty("status").GetString()).Distinct().ToList();
            Assert.True(Statuses.All(seen.Contains), $"{id}: the centre saw {string.Join(", ", seen)}");
            Assert.All(mine.Where(u => u.GetProperty("status").GetString() is "Filed" or "Dispatched" or "Handling"),
                u => Assert.Equal(JsonValueKind.String, u.GetProperty("deadline").ValueKind));
            Assert.All(mine, u => Assert.Equal(district, u.GetProperty("scope").GetString()));
        }

        // Everything for the district has gone out; anything the other centre got wrongly arrives before its own warning.
        var otherWarning = await IssueWarningAsync(other, "loop-warning-b");
        var received = new List<JsonElement>();
        while (true)
        {
            var (next, before) = await otherCentre.UntilAsync("Warning");
            received.AddRange(before);
            if (next.GetProperty("data").GetProperty("warningId").GetString() == otherWarning) break;
            received.Add(next);
        }
        Assert.Empty(received);
    }

    // REST citizen report → Verifying, the nearest on-duty worker's terminal gets the 核实 task → the loop.
    private async Task<string> CitizenReportAsync(Worker worker, HttpClient staff)
    {
        await fx.OnDutyAtAsync(worker.Id, worker.Lat, worker.Lon);
        await using var terminal = await TerminalAsync(worker.Id);
        using var response = await fx.Integration.PostAsJsonAsync("/api/citizen-reports", new
        {
            requestId = $"loop-citizen-{worker.Id}", category = "event.0102", description = "小区门口垃圾堆积", latitude = worker.Lat, longitude = worker.Lon,
            contact = new { name = "张三", phone = "13800000000" },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var caseId = view.GetProperty("id").GetString()!;
        Assert.Equal(("Verifying", worker.Id), (view.GetProperty("status").GetString(), view.GetProperty("verifier").GetString()));
        Assert.Equal(caseId, await VerifyTaskAsync(terminal));

        await DriveToClosedAsync(caseId, worker, staff, verify: true);
        await AssertHistoryAsync(caseId, ["reported", "verification_requested", "verified", .. LoopAfterVerify]);
        return caseId;
    }

    // A worker's terminal reports over MQTT (QoS 1, PUBACK): a patrol case needs no 核实 and is filed straight away.
    private async Task<string> FieldReportAsync(Worker worker, HttpClient staff)
    {
        var payload = string.Create(CultureInfo.InvariantCulture,
            $$"""{"category":"event.0102","description":"暴露垃圾 3 袋","lat":{{worker.Lat}},"lon":{{worker.Lon}},"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""");
        var (code, output) = await MqttClientProcess.PublishAsync(fx.MqttPort, "-d", "-q", "1", "-u", worker.Id, "-P", IntakeSiloFixture.Password,
            "-t", $"gridgov/v1/terminals/{worker.Id}/report", "-m", payload);
        AssertAcknowledged(code, output);
        var view = Assert.Single(await fx.CasesInAsync(worker.Grid));
        var caseId = view.GetProperty("id").GetString()!;
        Assert.Equal(("Reported", worker.Id), (view.GetProperty("status").GetString(), view.GetProperty("reportedBy").GetString()));

        await DriveToClosedAsync(caseId, worker, staff, verify: false);
        await AssertHistoryAsync(caseId, ["reported", .. LoopAfterVerify]);
        return caseId;
    }

    // A provisioned sensor publishes an event at case severity: the system reports a case in Verifying and sends the
    // nearest on-duty worker to verify it (src/Grains/Sensors/README.md).
    private async Task<string> SensorEventAsync(Worker worker, HttpClient staff)
    {
        var sensorId = $"loop-cam-{worker.Grid}";
        using var device = await fx.Admin.PostAsJsonAsync("/api/devices", new { deviceId = sensorId, kind = "sensor", regionCode = worker.Grid }, Ct);
        Assert.True(device.IsSuccessStatusCode, await device.Content.ReadAsStringAsync(Ct));
        var secret = (await device.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!;
        using var csv = new StringContent(string.Create(CultureInfo.InvariantCulture,
            $"sensor_id,type,grid_code,lat,lon,active\n{sensorId},camera,{worker.Grid},{worker.Lat},{worker.Lon},true\n"), Encoding.UTF8);
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var imported = await fx.Admin.PostAsync("/api/sensors/import", csv, Ct);
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync(Ct));

        await fx.OnDutyAtAsync(worker.Id, worker.Lat, worker.Lon);
        await using var terminal = await TerminalAsync(worker.Id);
        var payload = $$"""{"type":"garbage_overflow","severity":"high","ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"media":["https://media.example/{{sensorId}}/1.jpg"]}""";
        var (code, output) = await MqttClientProcess.PublishAsync(fx.MqttPort, "-d", "-q", "1", "-u", sensorId, "-P", secret,
            "-t", $"gridgov/v1/sensors/{sensorId}/event", "-m", payload);
        AssertAcknowledged(code, output);
        var caseId = await VerifyTaskAsync(terminal);
        var view = await fx.Admin.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}", Ct);
        Assert.Equal(("Verifying", $"sensor:{sensorId}", worker.Grid), (view.GetProperty("status").GetString(), view.GetProperty("reportedBy").GetString(),
            view.GetProperty("regionCode").GetString()));

        await DriveToClosedAsync(caseId, worker, staff, verify: true);
        await AssertHistoryAsync(caseId, ["reported", "verification_requested", "verified", .. LoopAfterVerify]);
        return caseId;
    }

    // PUBACK with a success reason code: 0 or 0x10 (no matching subscribers); 0x80 and above is a refusal.
    private static void AssertAcknowledged(int code, string output)
    {
        var puback = Regex.Match(output, @"PUBACK \(Mid: \d+, RC:(\d+)\)");
        Assert.True(code == 0 && puback.Success && int.Parse(puback.Groups[1].Value, CultureInfo.InvariantCulture) < 0x80, output);
    }

    private static readonly string[] LoopAfterVerify = ["filed", "dispatched", "accepted", "feedback_submitted", "check_requested", "check_passed", "closed"];

    // Each step by its owner (CaseWorkflow's table): 核实 and 核查 by the grid worker, 立案/派遣/核查 request/结案 by
    // the district's command staff, 处置 and 反馈 by the department's handler.
    private async Task DriveToClosedAsync(string caseId, Worker worker, HttpClient staff, bool verify)
    {
        if (verify) await LoopClients.CommandAsync(worker.Http, caseId, "Verify", "Reported", new { confirmed = true, note = "现场属实" });
        await LoopClients.CommandAsync(staff, caseId, "File", "Filed");
        var dispatched = await LoopClients.CommandAsync(staff, caseId, "Dispatch", "Dispatched", new { department = Department });
        Assert.Equal(Department, dispatched.GetProperty("department").GetString());
        await LoopClients.CommandAsync(fx.Handler, caseId, "Accept", "Handling");
        await LoopClients.CommandAsync(fx.Handler, caseId, "SubmitFeedback", "Feedback", new { note = "已清运", attachments = new[] { "https://media.example/done.jpg" } });
        await LoopClients.CommandAsync(staff, caseId, "RequestCheck", "Checking");
        await LoopClients.CommandAsync(worker.Http, caseId, "PassCheck", "Checking", new { note = "已清理干净" });
        await LoopClients.CommandAsync(staff, caseId, "Close", "Closed");
    }

    private async Task AssertHistoryAsync(string caseId, string[] expected)
    {
        var history = await fx.Admin.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/history", Ct);
        Assert.Equal(expected, history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(1, expected.Length).Select(i => (long)i), history.EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
    }

    private static async Task<List<JsonElement>> UpdatesUntilClosedAsync(NodeScript centre, string[] cases)
    {
        var updates = new List<JsonElement>();
        var open = cases.ToHashSet();
        while (open.Count > 0)
        {
            var (update, _) = await centre.UntilAsync("CaseUpdated");
            var data = update.GetProperty("data");
            updates.Add(data);
            if (data.GetProperty("status").GetString() == "Closed") open.Remove(data.GetProperty("caseId").GetString()!);
        }
        return updates;
    }

    private async Task<string> IssueWarningAsync(string region, string requestId)
    {
        using var issued = await fx.Admin.PostAsJsonAsync($"/api/regions/{region}/warnings", new { requestId, level = "Yellow", reason = "暴雨黄色预警" }, Ct);
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync(Ct));
        return (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private async Task<MqttClientProcess> TerminalAsync(string workerId)
    {
        var terminal = MqttClientProcess.Start("mosquitto_sub", fx.MqttPort, "-d", "-v", "-q", "1", "-u", workerId, "-P", IntakeSiloFixture.Password,
            "-t", $"gridgov/v1/terminals/{workerId}/tasks");
        await terminal.WaitForLineAsync("SUBACK");
        return terminal;
    }

    // The case id of the 核实 task the terminal received.
    private static async Task<string> VerifyTaskAsync(MqttClientProcess terminal)
    {
        await terminal.WaitForLineAsync("\"verify\"");
        var line = terminal.Output.Split('\n').First(l => l.Contains("\"verify\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line[line.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("caseId").GetString()!;
    }

    // Three grid workers of the district with distinct grids, so each is the nearest on duty to their own report.
    private async Task<(Worker, Worker, Worker)> ThreeWorkersInAsync(string district)
    {
        var picked = new List<Worker>();
        for (var i = 0; picked.Count < 3; i++)
        {
            var candidate = await fx.WorkerAsync(i, login: false);
            if (DistrictOf(candidate.Grid) != district || picked.Any(p => p.Grid == candidate.Grid)) continue;
            var (id, grid, lat, lon) = await fx.WorkerAsync(i);
            picked.Add(new Worker(id, grid, lat, lon, LoopClients.Client(fx.Admin.BaseAddress!, await LoopClients.TokenAsync(fx.Admin.BaseAddress!, id, IntakeSiloFixture.Password))));
        }
        return (picked[0], picked[1], picked[2]);
    }

    private string DistrictOf(string grid)
    {
        var node = fx.Demo.City.Tree.Find(grid)!;
        while (node.Level != RegionLevel.District) node = node.Parent!;
        return node.Code;
    }
}
