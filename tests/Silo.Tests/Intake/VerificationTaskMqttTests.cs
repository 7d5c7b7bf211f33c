using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridGov.Realtime.Silo.Tests.Devices;

namespace GridGov.Realtime.Silo.Tests.Intake;

public sealed class VerificationTaskMqttTests(IntakeSiloFixture fx) : IClassFixture<IntakeSiloFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_citizen_report_goes_to_the_nearest_on_duty_worker_whose_terminal_receives_the_task_over_mqtt()
    {
        var (worker, grid, lat, lon) = await fx.WorkerAsync(2);
        await fx.OnDutyAtAsync(worker, lat, lon);
        await using var terminal = MqttClientProcess.Start("mosquitto_sub", fx.MqttPort, "-d", "-v", "-q", "1", "-u", worker, "-P", IntakeSiloFixture.Password,
            "-t", $"gridgov/v1/terminals/{worker}/tasks");
        await terminal.WaitForLineAsync("SUBACK");

        using var response = await fx.Integration.PostAsJsonAsync("/api/citizen-reports", new
        {
            requestId = "app-verify-1",
            category = "event.0102",
            description = "小区门口垃圾堆积",
            latitude = lat,
            longitude = lon,
            photos = new[] { "https://media.example/app/1.jpg" },
            contact = new { name = "张三", phone = "13800000000" },
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var caseId = view.GetProperty("id").GetString()!;
        Assert.Equal(("Verifying", worker, grid), (view.GetProperty("status").GetString(), view.GetProperty("verifier").GetString(), view.GetProperty("regionCode").GetString()));

        await terminal.WaitForLineAsync(caseId);
        var line = terminal.Output.Split('\n').First(l => l.Contains(caseId, StringComparison.Ordinal));
        var task = JsonDocument.Parse(line[line.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.Equal(("verify", caseId, "0102"), (task.GetProperty("type").GetString(), task.GetProperty("caseId").GetString(), task.GetProperty("categoryCode").GetString()));
        Assert.Equal("https://media.example/app/1.jpg", task.GetProperty("attachments")[0].GetString());

        var history = await fx.Admin.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/history", Ct);
        Assert.Equal(["reported", "verification_requested"], history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Contains("张三", history[0].GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dispatcher_sending_another_worker_by_hand_records_it_and_that_workers_terminal_gets_the_task()
    {
        var (first, _, lat, lon) = await fx.WorkerAsync(12);
        var (second, _, _, _) = await fx.WorkerAsync(13);
        await fx.OnDutyAtAsync(first, lat, lon);
        using var created = await fx.Integration.PostAsJsonAsync("/api/citizen-reports",
            new { requestId = "app-verify-2", category = "event.0102", description = "垃圾", latitude = lat, longitude = lon }, Ct);
        var caseId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        await using var terminal = MqttClientProcess.Start("mosquitto_sub", fx.MqttPort, "-d", "-v", "-q", "1", "-u", second, "-P", IntakeSiloFixture.Password,
            "-t", $"gridgov/v1/terminals/{second}/tasks");
        await terminal.WaitForLineAsync("SUBACK");
        using var sent = await fx.Admin.PostAsJsonAsync($"/api/cases/{caseId}/commands",
            new { requestId = "by-hand-1", command = "RequestVerification", fields = new { worker = second, note = "closer to the site" } }, Ct);

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(second, (await sent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("verifier").GetString());
        await terminal.WaitForLineAsync(caseId);
        Assert.Contains("closer to the site", terminal.Output, StringComparison.Ordinal);
    }
}
