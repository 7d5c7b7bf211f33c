using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Dashboard.Tests.Live;

[CollectionDefinition(Name)]
public sealed class LiveSiloCollection : ICollectionFixture<LiveSilo>
{
    public const string Name = "live silo";
}

/// <summary>Real @microsoft/signalr clients (node) against the real host over sockets.</summary>
[Collection(LiveSiloCollection.Name)]
public sealed class CommandCentreClientTests(LiveSilo silo)
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task AnInScopeCentreReceivesTheBatchAndAnOutOfScopeCentreNothingAndIsRefused()
    {
        var (a, b) = (silo.DistrictA.Code, silo.DistrictB.Code);
        var tokenA = await silo.CreateUserAsync(Unique("ccA"), "password-of-district-a", a);
        var tokenB = await silo.CreateUserAsync(Unique("ccB"), "password-of-district-b", b);
        await using var centreA = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token = tokenA, subscribe = new[] { a } });
        await using var centreB = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token = tokenB, subscribe = new[] { b, a } });

        var (_, setupA) = await centreA.UntilAsync("ready");
        var (_, setupB) = await centreB.UntilAsync("ready");
        Assert.Equal("subscribed", Assert.Single(NodeScript.ExceptCounters(setupA)).GetProperty("event").GetString());
        setupB = NodeScript.ExceptCounters(setupB);
        Assert.Equal(["subscribed", "refused"], setupB.Select(e => e.GetProperty("event").GetString()));
        Assert.Contains("does not cover", setupB[1].GetProperty("error").GetString(), StringComparison.Ordinal);

        var worker = Unique("w");
        silo.Feed.PositionChanged(LiveSilo.FixIn(LiveSilo.FirstGridOf(silo.DistrictA), worker));
        var (batch, _) = await centreA.UntilAsync("Positions");
        var data = batch.GetProperty("data");
        Assert.Equal(a, data.GetProperty("scope").GetString());
        Assert.Equal(worker, Assert.Single(data.GetProperty("positions").EnumerateArray()).GetProperty("workerId").GetString());

        // A's batch has gone out; anything B received wrongly would arrive before this later message to B.
        silo.Feed.AlertChanged(new(Unique("al"), "sensor-1", "smoke", Grains.Live.AlertSeverity.Warning, true,
            [LiveSilo.FirstGridOf(silo.DistrictB).Code, b], null, null, null, "barrier", DateTimeOffset.UtcNow));
        var (alert, beforeAlert) = await centreB.UntilAsync("Alert");
        Assert.Equal(b, alert.GetProperty("data").GetProperty("scope").GetString());
        Assert.Empty(NodeScript.ExceptCounters(beforeAlert));
    }

    [Fact]
    public async Task ACentreWithoutAValidTokenCannotConnect()
    {
        await using var intruder = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token = "not-a-token", negotiate = true, subscribe = new[] { silo.DistrictA.Code } });
        var (failed, _) = await intruder.UntilAsync("failed");
        Assert.Contains("401", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreetCentreGetsItsStreetButNotTheRestOfTheDistrict()
    {
        var street = silo.DistrictA.Children[0];
        var otherStreet = silo.DistrictA.Children[1];
        var token = await silo.CreateUserAsync(Unique("st"), "password-of-the-street", street.Code);
        await using var centre = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token, subscribe = new[] { street.Code, silo.DistrictA.Code } });
        var (_, setup) = await centre.UntilAsync("ready");
        Assert.Equal(["subscribed", "refused"], NodeScript.ExceptCounters(setup).Select(e => e.GetProperty("event").GetString()));

        var outside = Unique("out");
        var inside = Unique("in");
        silo.Feed.PositionChanged(LiveSilo.FixIn(LiveSilo.FirstGridOf(otherStreet), outside));
        silo.Feed.PositionChanged(LiveSilo.FixIn(LiveSilo.FirstGridOf(street), inside));

        var (batch, before) = await centre.UntilAsync("Positions");
        Assert.Empty(NodeScript.ExceptCounters(before));
        var ids = batch.GetProperty("data").GetProperty("positions").EnumerateArray().Select(p => p.GetProperty("workerId").GetString());
        Assert.Equal([inside], ids);
    }
}
