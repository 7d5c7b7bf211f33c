using GridGov.Realtime.Dashboard.Feed;
using GridGov.Realtime.Dashboard.Hubs;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Warnings;
using static GridGov.Realtime.Dashboard.Tests.Feed.FeedHarness;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

public sealed class WarningFeedTests
{
    private static string Group(string scope) => FeedSubscriptions.GroupName(scope);

    private static WarningUpdate Warning(FeedHarness h, string id, string region, IReadOnlyList<string> scopes, string subtreePrefix,
        WarningLevel level = WarningLevel.Red, bool active = true) =>
        new(id, region, subtreePrefix, level, null, active, active ? "Issued" : "Lifted", "d1", "d1", "flooding", "rainstorm", scopes, h.Now);

    [Fact]
    public async Task AWarningReachesTheRegionItsAncestorsAndTheWatchedScopesBelowButNotPeers()
    {
        await using var h = new FeedHarness();
        h.Subscribe(City);
        h.Subscribe(DistrictA);
        h.Subscribe(StreetA);
        h.Subscribe(GridA);
        h.Subscribe(DistrictB);

        h.Feed.WarningChanged(Warning(h, "w1", DistrictA, [DistrictA, City], DistrictA));
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "barrier" });

        var warnings = sent.Where(s => s.Method == nameof(ICommandCentreClient.Warning)).ToList();
        Assert.Equal([Group(City), Group(DistrictA), Group(StreetA), Group(GridA)], warnings.Select(s => s.Group).Order());
        Assert.All(warnings, s =>
        {
            var m = Assert.IsType<WarningMessage>(s.Message);
            Assert.Equal(s.Group, Group(m.Scope));
            Assert.Equal((("w1", DistrictA, WarningLevel.Red, true)), (m.WarningId, m.RegionCode, m.Level, m.Active));
            Assert.Equal("flooding", m.Message);
            Assert.Contains("红色预警", m.Title, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ACityWarningReachesEveryDistrictByTheCityPrefix()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictA);
        h.Subscribe(DistrictB);
        h.Subscribe("320100"); // another city

        h.Feed.WarningChanged(Warning(h, "w2", City, [City], "3101", WarningLevel.Yellow, active: false));
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "barrier" });

        var warnings = sent.Where(s => s.Message is WarningMessage).ToList();
        Assert.Equal([Group(DistrictA), Group(DistrictB)], warnings.Select(s => s.Group).Order());
        Assert.All(warnings, s => Assert.False(((WarningMessage)s.Message).Active));
    }

    [Fact]
    public async Task NothingIsQueuedWhenNobodyWatchesTheRegionOrBelow()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictB);
        h.Feed.WarningChanged(Warning(h, "w3", DistrictA, [DistrictA, City], DistrictA));
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "barrier" });
        Assert.Single(sent);
    }
}
