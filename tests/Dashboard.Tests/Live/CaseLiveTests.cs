using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Dashboard.Tests.Live;

/// <summary>Cases pushed live to real @microsoft/signalr clients (node) by the real host.</summary>
[Collection(LiveSiloCollection.Name)]
public sealed class CaseLiveTests(LiveSilo silo)
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task AReportedAndEscalatedCaseReachesItsDistrictCentreAndNotAnotherDistricts()
    {
        var (a, b) = (silo.DistrictA.Code, silo.DistrictB.Code);
        var grid = LiveSilo.FirstGridOf(silo.DistrictA);
        var street = grid.Parent!.Parent!;
        var tokenA = await silo.CreateUserAsync(Unique("csA"), "password-of-district-a", a);
        var tokenB = await silo.CreateUserAsync(Unique("csB"), "password-of-district-b", b);
        await using var centreA = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token = tokenA, subscribe = new[] { a } });
        await using var centreB = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token = tokenB, subscribe = new[] { b } });
        await centreA.UntilAsync("ready");
        await centreB.UntilAsync("ready");

        // Reported through the REST API by district A's staff: grain → live case notifier → feed → hub.
        using var http = new HttpClient { BaseAddress = new Uri(silo.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenA);
        var body = $$"""{"categoryCode":"0101","kind":"Component","urgency":"Urgent","description":"井盖缺失","regionCode":"{{grid.Code}}"}""";
        using var reported = await http.PostAsync("/api/cases", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var caseId = JsonDocument.Parse(await reported.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetString()!;

        var (update, _) = await centreA.UntilAsync("CaseUpdated");
        var data = update.GetProperty("data");
        Assert.Equal((a, caseId, "reported", grid.Code, true), (data.GetProperty("scope").GetString(), data.GetProperty("caseId").GetString(),
            data.GetProperty("change").GetString(), data.GetProperty("gridCode").GetString(), data.GetProperty("urgent").GetBoolean()));

        // The escalation the case grain raises once overdue, handed to the same notifier the grain uses.
        var view = (await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICaseGrain>(caseId).Get())!;
        var escalated = new CaseEscalated
        {
            CaseId = caseId, Seq = view.Version + 1, RequestId = "escalation:test", ActorName = CaseRoles.System, ActorRole = CaseRoles.System,
            At = DateTimeOffset.UtcNow, From = view.Status, To = view.Status, ToRegionCode = street.Code, ToRegionLevel = RegionLevel.Street, Level = 1,
            Reason = "Filing overdue", OverdueStep = CaseStep.Filing, OverdueSince = DateTimeOffset.UtcNow,
        };
        await silo.Services.GetRequiredService<CaseNotifiers>().CaseEscalatedAsync(view with { EscalatedTo = street.Code, EscalationLevel = 1 }, escalated);
        var (escalation, _) = await centreA.UntilAsync("CaseEscalated");
        var message = escalation.GetProperty("data");
        Assert.Equal((a, caseId, street.Code, "Street", 1), (message.GetProperty("scope").GetString(), message.GetProperty("caseId").GetString(),
            message.GetProperty("toRegionCode").GetString(), message.GetProperty("toRegionLevel").GetString(), message.GetProperty("level").GetInt32()));

        // Everything for A has gone out; anything B received wrongly would arrive before this later message to B.
        silo.Feed.AlertChanged(new(Unique("al"), "sensor-1", "smoke", Grains.Live.AlertSeverity.Warning, true,
            [LiveSilo.FirstGridOf(silo.DistrictB).Code, b], null, null, null, "barrier", DateTimeOffset.UtcNow));
        var (_, beforeAlert) = await centreB.UntilAsync("Alert");
        Assert.Empty(NodeScript.ExceptCounters(beforeAlert));
    }
}
