using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tracking;

namespace GridGov.Realtime.Grains.Tests.Tracking;

public sealed class WorkerGrainTests
{
    private static string Community(int grid) => TrackingFixture.Grids[grid].ParentCode!;

    private static Task<TrackingFixture> Start(Action<TrackingOptions>? o = null) =>
        TrackingFixture.StartAsync(o, w => w.Add("w1", Community(0), TrackingFixture.Grids[0].Code, TrackingFixture.Grids[1].Code));

    [Fact]
    public async Task FirstFixPutsTheWorkerOnlineInItsGridAndPublishesPositionWithTheGridScopes()
    {
        await using var f = await Start();
        var snap = await f.ReportAsync("w1", f.FixIn(0));
        Assert.True(snap.Online);
        Assert.Equal(WorkerStatus.OffDuty, snap.Status);
        Assert.Equal(TrackingFixture.Grids[0].Code, snap.GridCode);
        var pos = Assert.Single(f.Feed.Positions);
        Assert.Equal(f.Regions.ScopesOf(TrackingFixture.Grids[0].Code), pos.Scopes);
        Assert.Contains(TrackingFixture.City.Tree.Roots[0].Code, pos.Scopes);
        var enter = Assert.Single(f.Feed.Transitions);
        Assert.Null(enter.FromGrid);
        Assert.Equal(TrackingFixture.Grids[0].Code, enter.ToGrid);
    }

    [Fact]
    public async Task GoesOfflineAfterTheSilenceThresholdAndRaisesOfflineOnlyOnDuty()
    {
        await using var f = await Start();
        await f.Worker("w1").SetDuty(true);
        await f.ReportAsync("w1", f.FixIn(0));
        f.Time.Advance(TimeSpan.FromSeconds(55));
        Assert.True((await f.Worker("w1").Get()).Online);

        f.Time.Advance(TimeSpan.FromSeconds(10));
        var snap = await f.Worker("w1").Get();
        Assert.Equal(WorkerStatus.Offline, snap.Status);
        var alert = Assert.Single(snap.ActiveAlerts);
        Assert.Equal(WorkerAlertTypes.Offline, alert.Type);
        Assert.Contains(f.Feed.Statuses, s => s.Status == WorkerStatus.Offline && s.Previous == WorkerStatus.OnDuty);

        snap = await f.ReportAsync("w1", f.FixIn(0));
        Assert.Equal(WorkerStatus.OnDuty, snap.Status);
        Assert.Empty(snap.ActiveAlerts);
        Assert.Contains(f.Feed.Alerts, a => a.Type == WorkerAlertTypes.Offline && !a.Active && a.AlertId == alert.AlertId);
    }

    [Fact]
    public async Task OffDutyWorkerGoesOfflineWithoutAnAlert()
    {
        await using var f = await Start();
        await f.ReportAsync("w1", f.FixIn(0));
        f.Time.Advance(TimeSpan.FromSeconds(70));
        var snap = await f.Worker("w1").Get();
        Assert.Equal(WorkerStatus.Offline, snap.Status);
        Assert.Empty(snap.ActiveAlerts);
    }

    [Fact]
    public async Task ConnectionLostIsOfflineAtOnce()
    {
        await using var f = await Start();
        await f.Worker("w1").SetDuty(true);
        await f.ReportAsync("w1", f.FixIn(0));
        await f.Worker("w1").ConnectionLost();
        var snap = await f.Worker("w1").Get();
        Assert.False(snap.Online);
        Assert.Equal(WorkerAlertTypes.Offline, Assert.Single(snap.ActiveAlerts).Type);
    }

    [Fact]
    public async Task ImmobileOnDutyRaisesAfterTheThresholdAndClearsOnMovement()
    {
        await using var f = await Start(o => { o.ImmobileAfter = TimeSpan.FromMinutes(20); o.ImmobileRadiusMetres = 30; o.OfflineAfter = TimeSpan.FromMinutes(5); });
        await f.Worker("w1").SetDuty(true);
        for (var minute = 0; minute < 20; minute++)
        {
            var snap = await f.ReportAsync("w1", f.FixIn(0, northMetres: minute % 2 * 5));
            Assert.DoesNotContain(snap.ActiveAlerts, a => a.Type == WorkerAlertTypes.Immobile);
            f.Time.Advance(TimeSpan.FromMinutes(1));
        }
        var raised = await f.ReportAsync("w1", f.FixIn(0));
        Assert.Contains(raised.ActiveAlerts, a => a.Type == WorkerAlertTypes.Immobile);

        f.Time.Advance(TimeSpan.FromSeconds(30));
        var moved = await f.ReportAsync("w1", f.FixIn(0, northMetres: 40));
        Assert.DoesNotContain(moved.ActiveAlerts, a => a.Type == WorkerAlertTypes.Immobile);
        Assert.Single(f.Feed.Alerts, a => a.Type == WorkerAlertTypes.Immobile && a.Active);
        Assert.Single(f.Feed.Alerts, a => a.Type == WorkerAlertTypes.Immobile && !a.Active);
    }

    [Fact]
    public async Task OutsideTheAssignedGridsRaisesOnlyAfterTheDwellTime()
    {
        await using var f = await Start(o => { o.OutsideDwell = TimeSpan.FromMinutes(10); o.OfflineAfter = TimeSpan.FromMinutes(5); });
        await f.Worker("w1").SetDuty(true);
        await f.ReportAsync("w1", f.FixIn(0));
        f.Time.Advance(TimeSpan.FromSeconds(30));
        await f.ReportAsync("w1", f.FixIn(2)); // same community, not assigned
        for (var i = 0; i < 9; i++)
        {
            f.Time.Advance(TimeSpan.FromMinutes(1));
            var snap = await f.ReportAsync("w1", f.FixIn(2, northMetres: i % 2 * 3));
            Assert.DoesNotContain(snap.ActiveAlerts, a => a.Type == WorkerAlertTypes.OutsideAssignedGrids);
        }
        f.Time.Advance(TimeSpan.FromMinutes(1));
        var outside = await f.ReportAsync("w1", f.FixIn(2));
        var alert = Assert.Single(outside.ActiveAlerts, a => a.Type == WorkerAlertTypes.OutsideAssignedGrids);
        Assert.Equal(TrackingFixture.Grids[2].Code, alert.GridCode);

        f.Time.Advance(TimeSpan.FromSeconds(30));
        var back = await f.ReportAsync("w1", f.FixIn(1));
        Assert.DoesNotContain(back.ActiveAlerts, a => a.Type == WorkerAlertTypes.OutsideAssignedGrids);
    }

    [Fact]
    public async Task SosIsImmediateAndCriticalUntilResolved()
    {
        await using var f = await Start();
        await f.ReportAsync("w1", f.FixIn(0));
        var (lat, lon) = TrackingFixture.PointIn(0);
        await f.Worker("w1").ReportSos(new SosSignal(lat, lon, f.Time.GetUtcNow().ToUnixTimeMilliseconds(), "help"));
        var snap = await f.Worker("w1").Get();
        Assert.Equal(WorkerStatus.Sos, snap.Status);
        var raised = Assert.Single(f.Feed.Alerts);
        Assert.Equal((WorkerAlertTypes.Sos, AlertSeverity.Critical, true, "help"), (raised.Type, raised.Severity, raised.Active, raised.Message));
        Assert.Equal(f.Regions.ScopesOf(TrackingFixture.Grids[0].Code), raised.Scopes);

        await f.Worker("w1").ResolveSos();
        snap = await f.Worker("w1").Get();
        Assert.Equal(WorkerStatus.OffDuty, snap.Status);
        Assert.Empty(snap.ActiveAlerts);
        Assert.False(f.Feed.Alerts[^1].Active);
    }

    [Fact]
    public async Task LowBatteryRaisesOnceAndClearsOnlyAboveTheHysteresis()
    {
        await using var f = await Start(o => { o.LowBatteryPercent = 20; o.LowBatteryHysteresis = 5; });
        async Task<bool> Low(int battery)
        {
            f.Time.Advance(TimeSpan.FromSeconds(10));
            var s = await f.ReportAsync("w1", f.FixIn(0, battery: battery));
            return s.ActiveAlerts.Any(a => a.Type == WorkerAlertTypes.LowBattery);
        }
        Assert.False(await Low(21));
        Assert.True(await Low(19));
        Assert.True(await Low(18));
        Assert.True(await Low(22));
        Assert.True(await Low(24));
        Assert.False(await Low(25));
        Assert.True(await Low(10));
        var events = f.Feed.Alerts.Where(a => a.Type == WorkerAlertTypes.LowBattery).Select(a => a.Active).ToArray();
        Assert.Equal([true, false, true], events);
    }

    [Fact]
    public async Task DuplicateOutOfOrderAndImplausibleFixesAreDropped()
    {
        await using var f = await Start(o => o.MaxSpeedMetresPerSecond = 40);
        var first = f.FixIn(0);
        await f.ReportAsync("w1", first);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        var second = f.FixIn(0, northMetres: 10);
        var duplicate = second with { Lat = second.Lat + 0.0001 };
        var older = first with { Ts = first.Ts - 1000 };
        var jump = f.FixIn(15) with { Ts = second.Ts + 1000, Acc = 5 }; // hundreds of metres in one second
        var snap = await f.ReportAsync("w1", second, duplicate, older, jump);
        Assert.Equal(second, snap.LastFix);
        Assert.Equal(TrackingFixture.Grids[0].Code, snap.GridCode);
        Assert.Equal(2, f.Feed.Positions.Count);
        Assert.Equal(second.Lat, f.Feed.Positions[^1].Lat);
    }

    [Fact]
    public async Task RepeatedImplausibleFixesEventuallyBecomeTheNewReference()
    {
        await using var f = await Start(o => o.ImplausibleResetCount = 2);
        await f.ReportAsync("w1", f.FixIn(0));
        var far = f.FixIn(15);
        var snap = await f.ReportAsync("w1", far with { Ts = far.Ts + 1000 }, far with { Ts = far.Ts + 2000 }, far with { Ts = far.Ts + 3000 });
        Assert.Equal(far.Ts + 3000, snap.LastFix!.Value.Ts);
        Assert.Equal(TrackingFixture.Grids[15].Code, snap.GridCode);
    }

    [Fact]
    public async Task MovingBetweenGridsPublishesExitAndEnterAndUpdatesBothGrids()
    {
        await using var f = await Start();
        await f.ReportAsync("w1", f.FixIn(0));
        f.Time.Advance(TimeSpan.FromSeconds(20));
        await f.ReportAsync("w1", f.FixIn(1));
        var move = f.Feed.Transitions[^1];
        Assert.Equal((TrackingFixture.Grids[0].Code, TrackingFixture.Grids[1].Code), (move.FromGrid, move.ToGrid));
        Assert.Contains(TrackingFixture.Grids[0].Code, move.Scopes);
        Assert.Contains(TrackingFixture.Grids[1].Code, move.Scopes);

        var from = await f.Grains.GetGrain<IGridGrain>(TrackingFixture.Grids[0].Code).Get();
        var to = await f.Grains.GetGrain<IGridGrain>(TrackingFixture.Grids[1].Code).Get();
        Assert.Empty(from.Workers);
        Assert.Equal("w1", Assert.Single(to.Workers).WorkerId);
    }

    [Fact]
    public async Task DutySurvivesReactivation()
    {
        await using var f = await Start();
        await f.Worker("w1").SetDuty(true);
        Assert.True((await f.Worker("w1").Get()).OnDuty);
    }
}
