using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Tracking;

namespace GridGov.Realtime.Grains.Tests.Tracking;

public sealed class RollupTests
{
    private static readonly IReadOnlyList<RegionNode> G = TrackingFixture.Grids;

    private static string Ancestor(int grid, RegionLevel level)
    {
        var n = G[grid];
        while (n.Level != level) n = n.Parent!;
        return n.Code;
    }

    private static Task<TrackingFixture> Start() => TrackingFixture.StartAsync(null, w =>
    {
        w.Add("w1", G[0].ParentCode!, G[0].Code);
        w.Add("w2", G[8].ParentCode!, G[8].Code);
    });

    [Fact]
    public async Task CountersRollUpFromGridsToTheCity()
    {
        await using var f = await Start();
        await f.Worker("w1").SetDuty(true);
        await f.ReportAsync("w1", f.FixIn(0));
        await f.ReportAsync("w2", f.FixIn(8));

        var city = Ancestor(0, RegionLevel.City);
        Assert.Equal(new RegionCountersSnapshot(city, 2, 2, 1, 0), await f.CountersAsync(city));
        Assert.Equal(new RegionCountersSnapshot(G[0].Code, 1, 1, 1, 0), await f.CountersAsync(G[0].Code));
        Assert.Equal(1, (await f.CountersAsync(Ancestor(0, RegionLevel.Street))).WorkersInside);
        Assert.Equal(1, (await f.CountersAsync(Ancestor(8, RegionLevel.District))).WorkersInside);
    }

    [Fact]
    public async Task MovingAcrossStreetsAndDistrictsMovesTheCounts()
    {
        await using var f = await Start();
        await f.Worker("w1").SetDuty(true);
        await f.ReportAsync("w1", f.FixIn(0));
        f.Time.Advance(TimeSpan.FromSeconds(30));
        await f.ReportAsync("w1", f.FixIn(5)); // district 1, other street
        Assert.Equal(0, (await f.CountersAsync(Ancestor(0, RegionLevel.Street))).WorkersInside);
        Assert.Equal(1, (await f.CountersAsync(Ancestor(5, RegionLevel.Street))).OnDuty);
        Assert.Equal(1, (await f.CountersAsync(Ancestor(0, RegionLevel.District))).WorkersInside);

        f.Time.Advance(TimeSpan.FromSeconds(30));
        await f.ReportAsync("w1", f.FixIn(12)); // other district (adjacent in the lattice is not required: 30 s, plenty of time)
        Assert.Equal(new RegionCountersSnapshot(Ancestor(0, RegionLevel.District), 0, 0, 0, 0), await f.CountersAsync(Ancestor(0, RegionLevel.District)));
        Assert.Equal(1, (await f.CountersAsync(Ancestor(12, RegionLevel.District))).OnDuty);
        Assert.Equal(1, (await f.CountersAsync(Ancestor(0, RegionLevel.City))).WorkersInside);
    }

    [Fact]
    public async Task OfflineKeepsTheWorkerInsideButNotOnlineAndItsAlertCountsUntilCleared()
    {
        await using var f = await Start();
        await f.Worker("w2").SetDuty(true);
        await f.ReportAsync("w2", f.FixIn(8));
        await f.Worker("w2").ConnectionLost();
        await f.Worker("w2").Get();
        var district = Ancestor(8, RegionLevel.District);
        Assert.Equal(new RegionCountersSnapshot(district, 1, 0, 0, 1), await f.CountersAsync(district));

        await f.Worker("w2").SetDuty(false); // clears the offline alert
        Assert.Equal(new RegionCountersSnapshot(district, 1, 0, 0, 0), await f.CountersAsync(district));
        Assert.Equal(0, (await f.CountersAsync(Ancestor(8, RegionLevel.City))).ActiveAlerts);
    }

    [Fact]
    public async Task CountersArePublishedAtMostOncePerIntervalAndOnlyWhenChanged()
    {
        await using var f = await Start();
        await f.ReportAsync("w1", f.FixIn(0));
        await f.ReportAsync("w2", f.FixIn(8));
        await f.SettleAsync();
        Assert.Empty(f.Feed.Counters);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.SettleAsync();
        var city = Ancestor(0, RegionLevel.City);
        var cityUpdate = Assert.Single(f.Feed.Counters, c => c.RegionCode == city);
        Assert.Equal(2, cityUpdate.WorkersInside);
        Assert.Equal([city], cityUpdate.Scopes);
        Assert.Single(f.Feed.Counters, c => c.RegionCode == G[0].Code);
        Assert.Equal(f.Regions.ScopesOf(G[0].Code), f.Feed.Counters.Single(c => c.RegionCode == G[0].Code).Scopes);

        var before = f.Feed.Counters.Count;
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.SettleAsync();
        Assert.Equal(before, f.Feed.Counters.Count);
    }
}
