using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GridGov.Realtime.Silo.Tests.Intake;

public sealed class ResponsibilityRoutingTests(IntakeSiloFixture fx) : IClassFixture<IntakeSiloFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> FiledCaseAsync(int workerIndex)
    {
        var (worker, grid, lat, lon) = await fx.WorkerAsync(workerIndex, login: false);
        using var reported = await fx.Admin.PostAsJsonAsync("/api/cases", new
        {
            kind = "Event", categoryCode = "0102", urgency = "Normal", description = "暴露垃圾", regionCode = grid, latitude = lat, longitude = lon,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var id = (await reported.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        foreach (var (command, fields) in new (string, object?)[] { ("RequestVerification", null), ("Verify", null), ("File", null) })
        {
            using var done = await fx.Admin.PostAsJsonAsync($"/api/cases/{id}/commands", new { requestId = $"{command}-{id}", command, fields }, Ct);
            Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync(Ct));
        }
        return id;
    }

    private async Task<string?> DispatchAsync(string id, string? department)
    {
        using var dispatched = await fx.Admin.PostAsJsonAsync($"/api/cases/{id}/commands",
            new { requestId = $"dispatch-{id}", command = "Dispatch", fields = new { department } }, Ct);
        Assert.True(dispatched.IsSuccessStatusCode, await dispatched.Content.ReadAsStringAsync(Ct));
        return (await dispatched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("department").GetString();
    }

    [Fact]
    public async Task Dispatch_without_a_department_takes_the_most_specific_rule_and_a_named_department_overrides_it()
    {
        // Demo workers are ordered by id and walk the first district's communities first, so worker 0's grid is in
        // district 0 (which has its own rule for event major class 01) and the last one's in another district.
        var inDistrict = await FiledCaseAsync(10);
        Assert.Equal("district-cityscape", await DispatchAsync(inDistrict, null));

        var elsewhere = await FiledCaseAsync(fx.Workers is GridGov.Realtime.Grains.Directory.WorkerDirectory d ? d.Workers.Count(w => w.AssignedGrids.Count > 0) - 1 : 0);
        Assert.Equal("city-sanitation", await DispatchAsync(elsewhere, null));

        var overridden = await FiledCaseAsync(11);
        Assert.Equal("roads", await DispatchAsync(overridden, "roads"));
        var history = await fx.Admin.GetFromJsonAsync<JsonElement>($"/api/cases/{inDistrict}/history", Ct);
        Assert.Contains("responsibility table", history.EnumerateArray().Last().GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_responsibility_rule_stops_start_up_with_a_message_naming_it()
    {
        using var factory = new SiloFactory(new()
        {
            ["Responsibility:Rules:0:Category"] = "9999",
            ["Responsibility:Rules:0:Department"] = "water",
        });
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Responsibility:Rules:0:Category 9999 is not in the category catalogue", ex.ToString(), StringComparison.Ordinal);
    }
}
