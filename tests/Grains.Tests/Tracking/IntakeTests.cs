using System.Text;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Tracking;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Grains.Tests.Tracking;

public sealed class IntakeTests
{
    private static readonly IReadOnlyList<RegionNode> G = TrackingFixture.Grids;

    [Fact]
    public async Task PositionPayloadIsStoredThenReachesTheGrainAndTheFeedWithTheGridScopes()
    {
        await using var f = await TrackingFixture.StartAsync(null, w => w.Add("w1", G[0].ParentCode!, G[0].Code));
        var intake = f.Host.Services.GetRequiredService<TerminalIntake>();
        var history = (InMemoryPositionHistory)f.Host.Services.GetRequiredService<IPositionHistory>();
        var (lat, lon) = TrackingFixture.PointIn(0);
        var now = f.Time.GetUtcNow();
        var json = $$"""[{"lat":{{lat}},"lon":{{lon}},"acc":5,"bat":90,"ts":{{now.ToUnixTimeMilliseconds() - 1000}}},{"lat":{{lat}},"lon":{{lon}},"ts":{{now.ToUnixTimeMilliseconds()}}}]""";

        var result = await intake.HandleAsync("w1", TerminalTopic.Position, Encoding.UTF8.GetBytes(json));

        Assert.True(result.IsAccepted, result.Reason);
        var rows = await history.ReadAsync("w1", now.AddMinutes(-1), now.AddMinutes(1), 100);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(G[0].Code, r.GridCode));
        Assert.Equal(G[0].Code, (await f.Worker("w1").Get()).GridCode);
        var position = Assert.Single(f.Feed.Positions);
        var district = G[0].Parent!.Parent!.Parent!;
        var otherDistrict = TrackingFixture.City.Tree.Roots[0].Children.Single(d => d.Code != district.Code);
        Assert.Equal([G[0].Code, G[0].ParentCode!, G[0].Parent!.ParentCode!, district.Code, district.ParentCode!], position.Scopes);
        Assert.DoesNotContain(otherDistrict.Code, position.Scopes);
    }

    [Theory]
    [InlineData("{\"lat\":1}")]
    [InlineData("garbage")]
    [InlineData("{\"lat\":200,\"lon\":1,\"ts\":1}")]
    public async Task BadPayloadIsRejectedAsInvalidAndNothingIsStored(string payload)
    {
        await using var f = await TrackingFixture.StartAsync();
        var intake = f.Host.Services.GetRequiredService<TerminalIntake>();
        var result = await intake.HandleAsync("w1", TerminalTopic.Position, Encoding.UTF8.GetBytes(payload));
        Assert.Equal(IntakeStatus.InvalidPayload, result.Status);
        Assert.NotNull(result.Reason);
        Assert.Equal(0, ((InMemoryPositionHistory)f.Host.Services.GetRequiredService<IPositionHistory>()).Count);
        Assert.Empty(f.Feed.All);
    }

    [Fact]
    public async Task SosPayloadRaisesTheAlert()
    {
        await using var f = await TrackingFixture.StartAsync();
        var intake = f.Host.Services.GetRequiredService<TerminalIntake>();
        var (lat, lon) = TrackingFixture.PointIn(3);
        var result = await intake.HandleAsync("w9", TerminalTopic.Sos,
            Encoding.UTF8.GetBytes($$"""{"lat":{{lat}},"lon":{{lon}},"ts":{{f.Time.GetUtcNow().ToUnixTimeMilliseconds()}},"note":"injured"}"""));
        Assert.True(result.IsAccepted);
        var snap = await f.Worker("w9").Get();
        Assert.Equal(GridGov.Realtime.Grains.Live.WorkerStatus.Sos, snap.Status);
        Assert.Equal(G[3].Code, Assert.Single(f.Feed.Alerts).GridCode);
    }
}
