using GridGov.Realtime.Dashboard.Feed;
using GridGov.Realtime.Dashboard.Hubs;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using static GridGov.Realtime.Dashboard.Tests.Feed.FeedHarness;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

public sealed class CaseFeedTests
{
    private static string Group(string scope) => FeedSubscriptions.GroupName(scope);

    private static CaseUpdate Case(FeedHarness h, string id, string grid = GridA) =>
        new(id, 4, "step_overdue", CaseStatus.Dispatched, "0101", "上水井盖", grid, grid, CaseStep.Handling, TrafficLight.Red, h.Now, true,
            null, 0, true, "water", 31.2, 121.47, ScopesOf(grid), h.Now);

    private static CaseEscalationUpdate Escalation(FeedHarness h, string id) =>
        new(id, StreetA, RegionLevel.Street, 1, "Handling overdue", GridA, "0101", "上水井盖", CaseStep.Handling, h.Now, true, [StreetA, DistrictA, City], h.Now);

    [Fact]
    public async Task ACaseUpdateReachesTheCentresCoveringItsGridAndNotAnotherDistrict()
    {
        await using var h = new FeedHarness();
        h.Subscribe(City);
        h.Subscribe(DistrictA);
        h.Subscribe(DistrictB);

        h.Feed.CaseChanged(Case(h, "C20260302000001"));
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "barrier" });

        var cases = sent.Where(s => s.Method == nameof(ICommandCentreClient.CaseUpdated)).ToList();
        Assert.Equal([Group(City), Group(DistrictA)], cases.Select(s => s.Group).Order());
        Assert.All(cases, s =>
        {
            var m = Assert.IsType<CaseUpdateMessage>(s.Message);
            Assert.Equal(s.Group, Group(m.Scope));
            Assert.Equal(("C20260302000001", CaseStatus.Dispatched, TrafficLight.Red, GridA, true), (m.CaseId, m.Status, m.Light, m.GridCode, m.Urgent));
        });
    }

    [Fact]
    public async Task AnEscalationReachesTheStreetEscalatedToAndAboveButNotTheCommunityBelowNorAnotherDistrict()
    {
        await using var h = new FeedHarness();
        h.Subscribe(CommunityA);
        h.Subscribe(StreetA);
        h.Subscribe(DistrictA);
        h.Subscribe(DistrictB);

        h.Feed.CaseEscalated(Escalation(h, "C20260302000002"));
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "barrier" });

        var escalations = sent.Where(s => s.Method == nameof(ICommandCentreClient.CaseEscalated)).ToList();
        Assert.Equal([Group(DistrictA), Group(StreetA)], escalations.Select(s => s.Group).Order());
        var m = Assert.IsType<CaseEscalationMessage>(escalations[0].Message);
        Assert.Equal(("C20260302000002", StreetA, RegionLevel.Street, 1, GridA), (m.CaseId, m.ToRegionCode, m.ToRegionLevel, m.Level, m.CaseRegionCode));
    }
}
