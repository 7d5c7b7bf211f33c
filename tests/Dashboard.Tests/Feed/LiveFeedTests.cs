using GridGov.Realtime.TestSupport;
using GridGov.Realtime.Dashboard.Feed;
using GridGov.Realtime.Dashboard.Hubs;
using static GridGov.Realtime.Dashboard.Tests.Feed.FeedHarness;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

public sealed class LiveFeedTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private static string Group(string scope) => FeedSubscriptions.GroupName(scope);

    [Fact]
    public async Task AStopWhoseShutdownTimeoutAlreadyPassedDoesNotFailTheHostsStop()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictA);
        h.Hub.Hold(); // a centre that stopped reading: the loop is stuck in its send
        h.Feed.AlertChanged(h.Alert("a1"));
        await h.Hub.NextAsync();

        await h.Feed.StopAsync(new CancellationToken(canceled: true));

        h.Hub.Release();
    }

    [Fact]
    public async Task ManyFixesOfOneWorkerWithinAnIntervalBecomeOneBatchWithTheLatest()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictA);

        for (var i = 1; i <= 100; i++) h.Feed.PositionChanged(h.Fix("w1", 31.0 + i / 1000.0));
        h.Time.Advance(Interval);

        var sent = await h.Hub.NextAsync();
        var batch = Assert.IsType<PositionBatch>(sent.Message);
        Assert.Equal(Group(DistrictA), sent.Group);
        Assert.Equal(DistrictA, batch.Scope);
        var only = Assert.Single(batch.Positions);
        Assert.Equal(("w1", 31.1, "OnDuty"), (only.WorkerId, only.Lat, only.Status));
        Assert.Equal(99, h.Metrics.Snapshot.PositionsCoalesced);
        Assert.Equal(1, h.Metrics.Snapshot.BatchesSent);
    }

    [Fact]
    public async Task AlertsGoOutAtOnceWhilePositionsWaitForTheInterval()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictA);

        h.Feed.PositionChanged(h.Fix("w1", 31.2));
        h.Feed.AlertChanged(h.Alert("a1"));
        // The alert is sent without any time passing; the loop sends in order, so no batch went before it.
        var first = await h.Hub.NextAsync();
        Assert.Equal("a1", Assert.IsType<AlertMessage>(first.Message).AlertId);

        h.Time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        h.Feed.AlertChanged(h.Alert("a2"));
        Assert.Equal("a2", Assert.IsType<AlertMessage>((await h.Hub.NextAsync()).Message).AlertId);

        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.IsType<PositionBatch>((await h.Hub.NextAsync()).Message);
    }

    [Fact]
    public async Task EachScopeGetsAtMostOneBatchPerInterval()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictA);

        h.Feed.PositionChanged(h.Fix("w1", 31.2));
        h.Time.Advance(Interval);
        Assert.IsType<PositionBatch>((await h.Hub.NextAsync()).Message);

        h.Feed.PositionChanged(h.Fix("w1", 31.3));
        h.Feed.PositionChanged(h.Fix("w2", 31.4));
        h.Time.Advance(Interval / 2);
        h.Feed.AlertChanged(h.Alert("barrier"));
        Assert.IsType<AlertMessage>((await h.Hub.NextAsync()).Message);

        h.Time.Advance(Interval / 2);
        var batch = Assert.IsType<PositionBatch>((await h.Hub.NextAsync()).Message);
        Assert.Equal(["w1", "w2"], batch.Positions.Select(p => p.WorkerId).Order());
    }

    [Fact]
    public async Task AnUpdateReachesExactlyTheGroupsOfItsScopesThatHaveSubscribers()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictA);
        h.Subscribe(StreetA);
        h.Subscribe(DistrictB);
        h.Subscribe("310199"); // another district of the same city: not among the update's scopes

        h.Feed.AlertChanged(h.Alert("a1", GridA));
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "barrier" });

        var a1 = sent.Where(s => s.Message is AlertMessage { AlertId: "a1" }).ToList();
        Assert.Equal([Group(DistrictA), Group(StreetA)], a1.Select(s => s.Group).Order());
        Assert.All(a1, s => Assert.Equal(s.Group, Group(((AlertMessage)s.Message).Scope)));
        Assert.Equal(Group(DistrictB), sent[^1].Group);
        Assert.Equal(3, sent.Count);
    }

    [Fact]
    public async Task PositionBatchesAreRoutedPerScope()
    {
        await using var h = new FeedHarness();
        h.Subscribe(StreetA);
        h.Subscribe(DistrictB);

        h.Feed.PositionChanged(h.Fix("a-worker", 31.2, GridA));
        h.Feed.PositionChanged(h.Fix("b-worker", 31.3, GridB));
        h.Time.Advance(Interval);
        var batches = new[] { await h.Hub.NextAsync(), await h.Hub.NextAsync() }
            .ToDictionary(s => s.Group, s => ((PositionBatch)s.Message).Positions.Select(p => p.WorkerId).Single());

        Assert.Equal(new Dictionary<string, string> { [Group(StreetA)] = "a-worker", [Group(DistrictB)] = "b-worker" }, batches);
    }

    [Fact]
    public async Task TheWholeSystemScopeReceivesEveryUpdate()
    {
        await using var h = new FeedHarness();
        h.Subscribe("");

        h.Feed.AlertChanged(h.Alert("a1", GridB));
        h.Feed.PositionChanged(h.Fix("w1", 31.2, GridA));
        h.Time.Advance(Interval);

        Assert.Equal(Group(""), (await h.Hub.NextAsync()).Group);
        var batch = await h.Hub.NextAsync();
        Assert.Equal(("", "w1"), (((PositionBatch)batch.Message).Scope, ((PositionBatch)batch.Message).Positions.Single().WorkerId));
    }

    [Fact]
    public async Task NothingIsKeptForScopesNobodyWatches()
    {
        await using var h = new FeedHarness();

        for (var i = 0; i < 1000; i++) h.Feed.PositionChanged(h.Fix($"w{i}", 31.2));
        h.Feed.AlertChanged(h.Alert("unwatched"));
        Assert.Equal(0, h.Feed.PendingScopeCount);

        h.Subscribe(DistrictB);
        h.Time.Advance(Interval);
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.NextAsync();
        Assert.Equal("barrier", Assert.IsType<AlertMessage>(sent.Message).AlertId);
        Assert.Empty(h.Hub.Drain());
    }

    [Fact]
    public async Task FixesBufferedForAScopeThatLostItsSubscribersAreForgotten()
    {
        await using var h = new FeedHarness();
        var connection = h.Subscribe(DistrictA);
        h.Subscribe(DistrictB);

        h.Feed.PositionChanged(h.Fix("w1", 31.2, GridA));
        h.Subscriptions.RemoveConnection(connection);
        h.Feed.PositionChanged(h.Fix("w2", 31.3, GridB));
        h.Time.Advance(Interval);

        var sent = await h.Hub.NextAsync();
        Assert.Equal(Group(DistrictB), sent.Group);
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        Assert.IsType<AlertMessage>((await h.Hub.NextAsync()).Message);
        Assert.Equal(0, h.Feed.PendingScopeCount);
    }

    [Fact]
    public async Task AFullQueueDropsAndCountsInsteadOfBlockingTheGrain()
    {
        await using var h = new FeedHarness(o => o.MaxQueuedUpdates = 4, start: false);
        h.Subscribe(DistrictA);

        for (var i = 0; i < 10; i++) h.Feed.AlertChanged(h.Alert($"a{i}"));

        Assert.Equal(6, h.Metrics.Snapshot.Dropped);
        await h.Feed.StartAsync(TestContext.Current.CancellationToken);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add(((AlertMessage)(await h.Hub.NextAsync()).Message).AlertId);
        Assert.Equal(["a0", "a1", "a2", "a3"], ids);
    }

    [Fact]
    public async Task AScopeBufferHoldsAtMostTheConfiguredNumberOfWorkers()
    {
        await using var h = new FeedHarness(o => o.MaxPendingPositionsPerScope = 3);
        h.Subscribe(DistrictA);

        for (var i = 0; i < 5; i++) h.Feed.PositionChanged(h.Fix($"w{i}", 31.2));
        h.Feed.PositionChanged(h.Fix("w0", 31.9)); // a known worker still updates

        h.Time.Advance(Interval);
        var batch = (PositionBatch)(await h.Hub.NextAsync()).Message;
        Assert.Equal(["w0", "w1", "w2"], batch.Positions.Select(p => p.WorkerId).Order());
        Assert.Equal(31.9, batch.Positions.Single(p => p.WorkerId == "w0").Lat);
        Assert.Equal(2, h.Metrics.Snapshot.Dropped);
    }

    [Fact]
    public async Task SlowClientsOfOneScopeDropTheirOwnMessagesAndKeepCoalescingPositions()
    {
        await using var h = new FeedHarness(o => o.MaxInFlightSendsPerScope = 2);
        h.Subscribe(DistrictA);
        h.Subscribe(DistrictB);

        h.Hub.Hold(); // district A's clients stop reading: sends to it never complete
        for (var i = 0; i < 5; i++) h.Feed.AlertChanged(new(
            $"a{i}", "w1", "sos", Grains.Live.AlertSeverity.Critical, true, [DistrictA], GridA, null, null, null, h.Now));
        h.Feed.PositionChanged(h.Fix("w1", 31.1, GridA));
        h.Feed.PositionChanged(h.Fix("w1", 31.2, GridA));
        var held = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "a1" });
        Assert.Equal(2, held.Count);
        h.Hub.Release(); // only the two held sends complete later; new sends are not held
        h.Time.Advance(Interval);

        // District B is not held back by A, and A's batch went out once its sends drained.
        h.Feed.AlertChanged(h.Alert("b", GridB));
        var rest = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "b" });
        var batch = rest.Select(s => s.Message).OfType<PositionBatch>().Single(b => b.Scope == DistrictA);
        Assert.Equal(31.2, batch.Positions.Single().Lat);
        Assert.Equal(3, h.Metrics.Snapshot.Dropped);
        Assert.DoesNotContain(rest, s => s.Message is AlertMessage { AlertId: "a2" or "a3" or "a4" });
    }

    [Fact]
    public async Task WhileAScopeIsSaturatedItsPositionsWaitCoalescedInsteadOfDropping()
    {
        await using var h = new FeedHarness(o => o.MaxInFlightSendsPerScope = 1);
        h.Subscribe(DistrictA);

        h.Hub.Hold();
        h.Feed.PositionChanged(h.Fix("w1", 31.1));
        h.Time.Advance(Interval);
        Assert.IsType<PositionBatch>((await h.Hub.NextAsync()).Message); // in flight, never completes yet

        for (var i = 2; i <= 9; i++)
        {
            h.Feed.PositionChanged(h.Fix("w1", 31.0 + i / 10.0));
            h.Time.Advance(Interval); // saturated: kept, not sent
        }
        Assert.Equal(1, h.Feed.PendingScopeCount);
        h.Hub.Release();
        h.Time.Advance(Interval);

        var batch = (PositionBatch)(await h.Hub.NextAsync()).Message;
        Assert.Equal(31.9, batch.Positions.Single().Lat, 9);
        Assert.Equal(0, h.Metrics.Snapshot.Dropped);
    }

    [Fact]
    public async Task GrainsPublishingFromManyThreadsNeverWaitAndEveryWorkerArrivesOnce()
    {
        await using var h = new FeedHarness();
        h.Subscribe(DistrictA);
        h.Hub.Hold(); // even with the hub stuck, publishing returns

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++) h.Feed.PositionChanged(h.Fix($"w{i % 100}", 31 + t));
        }, TestContext.Current.CancellationToken))).Within();

        h.Time.Advance(Interval);
        var batch = (PositionBatch)(await h.Hub.NextAsync()).Message;
        Assert.Equal(100, batch.Positions.Select(p => p.WorkerId).Distinct().Count());
        Assert.Equal(80_000 - 100, h.Metrics.Snapshot.PositionsCoalesced);
        h.Hub.Release();
    }

    [Fact]
    public async Task StatusTransitionAndCounterUpdatesCarryTheirScope()
    {
        await using var h = new FeedHarness();
        h.Subscribe(StreetA);
        var scopes = ScopesOf(GridA);

        h.Feed.WorkerStatusChanged(new("w1", scopes, Grains.Live.WorkerStatus.Sos, Grains.Live.WorkerStatus.OnDuty, h.Now));
        h.Feed.GridTransition(new("w1", GridA, "310104001001002", scopes, h.Now));
        h.Feed.CountersChanged(new(StreetA, [StreetA, DistrictA, City], 3, 2, 1, 1, 4, 0, 0, h.Now));

        var status = (WorkerStatusMessage)(await h.Hub.NextAsync()).Message;
        var transition = (GridTransitionMessage)(await h.Hub.NextAsync()).Message;
        var counters = (CountersMessage)(await h.Hub.NextAsync()).Message;
        Assert.Equal((StreetA, "Sos", "OnDuty"), (status.Scope, status.Status, status.Previous));
        Assert.Equal((StreetA, GridA, "310104001001002"), (transition.Scope, transition.FromGrid, transition.ToGrid));
        Assert.Equal((StreetA, StreetA, 3, 4), (counters.Scope, counters.RegionCode, counters.WorkersInside, counters.OpenCases));
        Assert.Equal(3, h.Metrics.Snapshot.MessagesSent);
    }

    [Fact]
    public async Task StoppingAndDisposingMoreThanOnceIsHarmless()
    {
        var h = new FeedHarness();
        await h.Feed.StopAsync(TestContext.Current.CancellationToken);
        await h.Feed.DisposeAsync();
        await h.Feed.DisposeAsync();
        h.Subscribe(DistrictA);
        h.Feed.AlertChanged(h.Alert("after-stop")); // publishing after shutdown neither throws nor blocks
        Assert.Equal(0, h.Metrics.Snapshot.MessagesSent);
    }
}
