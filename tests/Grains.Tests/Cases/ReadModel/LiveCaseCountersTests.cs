using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tests.Tracking;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases.ReadModel;

public sealed class LiveCaseCountersTests
{
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);

    /// <summary>Counter updates as they are published, with a signal for the first one matching a condition.</summary>
    private sealed class CountersFeed : ILiveFeed
    {
        private readonly Lock _gate = new();
        private readonly List<(Func<RegionCountersUpdate, bool> Match, TaskCompletionSource<RegionCountersUpdate> Done)> _waits = [];

        public Task<RegionCountersUpdate> Next(Func<RegionCountersUpdate, bool> match)
        {
            var done = new TaskCompletionSource<RegionCountersUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate) _waits.Add((match, done));
            return done.Task;
        }

        public void CountersChanged(RegionCountersUpdate update)
        {
            lock (_gate)
            {
                foreach (var w in _waits.Where(w => w.Match(update)).ToList())
                {
                    w.Done.TrySetResult(update);
                    _waits.Remove(w);
                }
            }
        }

        public void PositionChanged(WorkerPositionUpdate update) { }
        public void WorkerStatusChanged(WorkerStatusUpdate update) { }
        public void GridTransition(GridTransitionUpdate update) { }
        public void AlertChanged(AlertUpdate update) { }
        public void WarningChanged(WarningUpdate update) { }
        public void CaseChanged(CaseUpdate update) { }
        public void CaseEscalated(CaseEscalationUpdate update) { }
    }

    [Fact]
    public async Task Region_counters_carry_open_overdue_and_escalated_cases_through_the_transitions()
    {
        using var dir = new TempDirectory();
        var tree = TrackingFixture.City.Tree;
        var grid = tree.Grids[0];
        var district = tree.Find(grid.Code)!;
        while (district.Level != RegionLevel.District) district = district.Parent!;
        var feed = new CountersFeed();
        var notifier = new RecordingNotifier();
        await using var host = await ActorTestHost.StartAsync(
            r =>
            {
                r.AddGrainsFromAssembly(typeof(GrainsAssembly).Assembly).AddJsonContext(GrainsJsonContext.Default);
                r.UseSqliteStorage(configure: o => o.DataDirectory = dir.Path);
                r.AddCases().AddTracking();
            },
            new FakeTimeProvider(At(2, 9)),
            s =>
            {
                s.AddSingleton<IRegionDirectory>(new FakeRegionDirectory(tree));
                s.AddSingleton<IWorkerDirectory>(new FakeWorkerDirectory());
                s.AddSingleton<ILiveFeed>(feed);
                s.AddSingleton<ICaseNotifier>(notifier);
                s.Configure<TrackingOptions>(o => o.CountersPublishInterval = PublishInterval);
            });
        var grain = host.Grains.GetGrain<ICaseGrain>(CaseId);

        async Task<RegionCountersUpdate> AfterAsync(CaseCommand command, Func<RegionCountersUpdate, bool> expected)
        {
            var published = feed.Next(u => u.RegionCode == district.Code && expected(u));
            var result = await grain.Execute(command);
            Assert.True(result.Succeeded, $"{command.Kind}: {result.Error}");
            // The roll-up's mailbox is FIFO: once this call is answered it has the one-way CasesChanged.
            await host.Grains.GetGrain<IRegionGrain>(district.Code).GetCounters();
            host.Time.Advance(PublishInterval);
            return await published.Within();
        }

        var patrol = new CaseActor("worker1", CaseRoles.GridWorker, grid.Code);
        var opened = await AfterAsync(Report(patrol, region: grid.Code), u => u.OpenCases == 1);
        Assert.Equal((1, 0, 0), (opened.OpenCases, opened.OverdueCases, opened.EscalatedCases));
        Assert.Contains(tree.Roots[0].Code, opened.Scopes);

        await AfterAsync(Command(Admin, CaseCommandKind.Supervise, note: "领导交办"), u => u.EscalatedCases == 1);
        Assert.True((await grain.Execute(Command(Admin, CaseCommandKind.File))).Succeeded); // no count changes
        var published = feed.Next(u => u.RegionCode == district.Code && u.OverdueCases == 1);
        host.Time.Advance(TimeSpan.FromHours(1)); // past the 15-minute dispatch limit: the deadline reminder records the overdue step
        await notifier.Overdue(CaseId).Task.Within(); // told after the overdue event was projected and the roll-ups were told
        await host.Grains.GetGrain<IRegionGrain>(district.Code).GetCounters();
        host.Time.Advance(PublishInterval);
        var overdue = await published.Within();
        Assert.Equal((1, 1, 1), (overdue.OpenCases, overdue.OverdueCases, overdue.EscalatedCases));

        var voided = await AfterAsync(Command(Admin, CaseCommandKind.Void, note: "重复上报"), u => u.OpenCases == 0);
        Assert.Equal((0, 0, 0), (voided.OpenCases, voided.OverdueCases, voided.EscalatedCases));
    }
}
