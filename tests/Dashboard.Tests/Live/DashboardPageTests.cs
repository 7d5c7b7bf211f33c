using System.Net;

namespace GridGov.Realtime.Dashboard.Tests.Live;

/// <summary>The page in headless Chromium (Playwright over the system's chromium) against the real host.</summary>
[Collection(LiveSiloCollection.Name)]
public sealed class DashboardPageTests(LiveSilo silo)
{
    [Fact]
    public async Task ThePageIsServedWithoutATokenButItsDataIsNot()
    {
        using var http = new HttpClient { BaseAddress = new Uri(silo.BaseUrl) };
        var page = await http.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/dashboard/dist/app.js", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/dist/app.js", TestContext.Current.CancellationToken)).StatusCode);
        // Dot segments are resolved before routing, so this is a request for /GridGov.Realtime.Silo.dll: refused, not served.
        Assert.NotEqual(HttpStatusCode.OK, (await http.GetAsync("/dashboard/%2e%2e/GridGov.Realtime.Silo.dll", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dashboard/missing.js", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/dashboard/config", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task ASignedInCentreSeesItsGridsAndAPushedWorkerAppearsOnTheMap()
    {
        if (!File.Exists("/usr/bin/chromium")) Assert.Fail("/usr/bin/chromium is missing: run scripts/install-test-deps.sh (./test.sh does).");
        var district = silo.DistrictA;
        var user = $"page{Guid.NewGuid():N}"[..14];
        await silo.CreateUserAsync(user, "password-of-the-page", district.Code);
        var screenshot = Environment.GetEnvironmentVariable("GRIDGOV_DASHBOARD_SCREENSHOT")
            ?? Path.Combine(Path.GetTempPath(), $"gridgov-dashboard-{Guid.NewGuid():N}.png");
        var worker = "worker-page-1";

        await using var browser = NodeScript.Start("dashboard-page.mjs", new { url = silo.BaseUrl, username = user, password = "password-of-the-page", workerId = worker, alertId = "alert-page-1", caseId = "C20260302000042",
            warningId = "warning-page-1", escalationId = "alert:worker-page-1:sos:1", screenshot });
        var (ready, _) = await browser.UntilAsync("ready", seconds: 60);
        var regionsDrawn = silo.City.Tree.Subtree(district.Code).Count();
        Assert.Equal(regionsDrawn, ready.GetProperty("polygons").GetInt32());

        var grid = LiveSilo.FirstGridOf(district);
        silo.Feed.PositionChanged(LiveSilo.FixIn(grid, worker));
        silo.Feed.PositionChanged(LiveSilo.FixIn(LiveSilo.FirstGridOf(district.Children[^1]), "worker-page-2"));
        var (marker, _) = await browser.UntilAsync("marker");
        Assert.True(marker.GetProperty("cx").GetDouble() > 0);

        var scopes = LiveSilo.FixIn(grid, worker).Scopes;
        var centre = grid.Geometry.InteriorPoint;
        silo.Feed.AlertChanged(new("alert-page-1", worker, "sos", Grains.Live.AlertSeverity.Critical, true, scopes, grid.Code,
            centre.Y, centre.X, "SOS pressed", DateTimeOffset.UtcNow));
        silo.Feed.CountersChanged(new(district.Code, [district.Code, district.ParentCode!], 2, 2, 2, 1, 7, 1, 0, DateTimeOffset.UtcNow));
        var (alert, _) = await browser.UntilAsync("alert");
        Assert.Equal(("1", "7"), (alert.GetProperty("alerts").GetString(), alert.GetProperty("openCases").GetString()));

        var street = grid.Parent!.Parent!.Code;
        silo.Feed.CaseChanged(new("C20260302000042", 6, "escalated", Grains.Cases.CaseStatus.Dispatched, "0101", "上水井盖", grid.Code, grid.Code,
            Grains.Categories.CaseStep.Handling, Grains.Calendar.TrafficLight.Red, DateTimeOffset.UtcNow, true, street, 1, true, "water",
            centre.Y, centre.X, scopes, DateTimeOffset.UtcNow));
        var (listed, _) = await browser.UntilAsync("case");
        Assert.Equal(("Red", "1"), (listed.GetProperty("light").GetString(), listed.GetProperty("cases").GetString()));
        Assert.Contains($"督办 L1 → {street}", listed.GetProperty("text").GetString(), StringComparison.Ordinal);

        // An orange warning on the district: listed, and every region drawn (all under the district) tinted.
        silo.Feed.WarningChanged(new("warning-page-1", district.Code, district.Code, Grains.Warnings.WarningLevel.Orange, null, true, "issued",
            "district-chief", "district-chief", "暴雨", "flood", [district.Code, district.ParentCode!], DateTimeOffset.UtcNow));
        var (warning, _) = await browser.UntilAsync("warning");
        Assert.Equal(("Orange", "1", regionsDrawn), (warning.GetProperty("level").GetString(), warning.GetProperty("warnings").GetString(), warning.GetProperty("tinted").GetInt32()));
        Assert.Contains("橙色预警", warning.GetProperty("text").GetString(), StringComparison.Ordinal);

        silo.Feed.EscalationChanged(new("alert:worker-page-1:sos:1", "alert", worker, "sos", "SOS pressed", grid.Code, grid.Parent!.Code,
            Grains.Responders.EscalationStatus.Pending, "sent", "responder-1", "responder-1", DateTimeOffset.UtcNow.AddMinutes(2), scopes, DateTimeOffset.UtcNow));
        var (escalation, _) = await browser.UntilAsync("escalation");
        Assert.Equal("1", escalation.GetProperty("escalations").GetString());
        Assert.Contains("with responder-1", escalation.GetProperty("text").GetString(), StringComparison.Ordinal);

        var (done, _) = await browser.UntilAsync("done");
        Assert.Empty(done.GetProperty("errors").EnumerateArray());
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"screenshot {screenshot} is missing or blank");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");
    }
}
