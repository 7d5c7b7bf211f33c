using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tests.Tracking;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases;

/// <summary>督办 up the region chain on fake time: grid 31010400100101 → street 310104001 → district 310104 → city 310100.</summary>
public sealed class CaseEscalationTests
{
    private const string Grid = "31010400100101";
    private const string Community = "310104001001";
    private const string Street = "310104001";
    private const string District = "310104";
    private const string City = "310100";

    private static Task<ActorTestHost> StartAsync(RecordingNotifier notifier, RecordingLiveFeed? feed = null, string? sqliteDirectory = null, DateTimeOffset? start = null) =>
        ActorTestHost.StartAsync(
            r =>
            {
                r.AddGrainsFromAssembly(typeof(GrainsAssembly).Assembly).AddJsonContext(GrainsJsonContext.Default);
                if (sqliteDirectory is null) r.UseInMemoryStorage();
                else r.UseSqliteStorage(configure: o => o.DataDirectory = sqliteDirectory);
                r.AddCases();
            },
            new FakeTimeProvider(start ?? At(2, 9)),
            s =>
            {
                s.AddSingleton<ICaseNotifier>(notifier);
                if (feed is not null) s.AddSingleton<ILiveFeed>(feed);
                s.Configure<CaseEscalationOptions>(o =>
                {
                    o.FirstAfter = TimeSpan.Zero;
                    o.NormalInterval = TimeSpan.FromHours(1);
                    o.ImportantInterval = TimeSpan.FromHours(1);
                });
            });

    private static async Task<CaseView> Ok(ICaseGrain grain, CaseCommand command)
    {
        var result = await grain.Execute(command);
        Assert.True(result.Succeeded, $"{command.Kind}: {result.Status} {result.Error}");
        return result.View!;
    }

    /// <summary>A patrol report in <see cref="Grid"/>, filed and dispatched at Monday 09:00: handling is due at 14:30.</summary>
    private static async Task<ICaseGrain> DispatchedAsync(ActorTestHost host)
    {
        var grain = host.Grains.GetGrain<ICaseGrain>(CaseId);
        await Ok(grain, Report(Worker, region: Grid));
        await Ok(grain, Command(Staff, CaseCommandKind.File));
        await Ok(grain, Command(Staff, CaseCommandKind.Dispatch, department: "water"));
        return grain;
    }

    [Fact]
    public async Task An_overdue_case_escalates_to_the_street_then_the_district_then_the_city_and_stops_there()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = await DispatchedAsync(host);

        host.Time.SetUtcNow(At(2, 14, 30));
        var (view1, street) = await notifier.Escalated(CaseId, 1).Task.Within();
        Assert.Equal((Street, RegionLevel.Street, CaseStep.Handling, At(2, 14, 30)), (street.ToRegionCode, street.ToRegionLevel, street.OverdueStep, street.OverdueSince));
        Assert.Equal((Street, 1, At(2, 14, 30), CaseStatus.Dispatched), (view1.EscalatedTo, view1.EscalationLevel, view1.EscalatedAt!.Value, view1.Status));
        Assert.Equal((District, At(2, 15, 30)), (view1.NextEscalationTo, view1.NextEscalationAt!.Value));

        host.Time.SetUtcNow(At(2, 15, 29)); // the street has one hour
        Assert.False(notifier.Escalated(CaseId, 2).Task.IsCompleted);
        Assert.Equal(1, (await grain.Get())!.EscalationLevel);

        host.Time.SetUtcNow(At(2, 15, 30));
        var (_, district) = await notifier.Escalated(CaseId, 2).Task.Within();
        Assert.Equal((District, RegionLevel.District, At(2, 15, 30)), (district.ToRegionCode, district.ToRegionLevel, district.At));
        host.Time.SetUtcNow(At(2, 16, 30));
        var (view3, city) = await notifier.Escalated(CaseId, 3).Task.Within();
        Assert.Equal((City, RegionLevel.City), (city.ToRegionCode, city.ToRegionLevel));
        Assert.Equal((City, RegionLevel.City, 3, At(2, 16, 30)), (view3.EscalatedTo, view3.EscalatedToLevel, view3.EscalationLevel, view3.EscalatedAt!.Value));
        Assert.Null(view3.NextEscalationAt);

        host.Time.SetUtcNow(At(3, 16, 30)); // the city is the top: nothing further, however long it stays overdue
        var history = await grain.History();
        Assert.Equal(["reported", "filed", "dispatched", "step_overdue", "escalated", "escalated", "escalated"], history.Select(h => h.Type));
        var audit = history.Where(h => h.Type == CaseEscalated.TypeName).ToList();
        Assert.All(audit, h => Assert.Equal((CaseRoles.System, CaseStatus.Dispatched, CaseStatus.Dispatched), (h.ActorName, h.From!.Value, h.To)));
        Assert.Equal($"escalated to street {Street} (level 1): Handling overdue since {At(2, 14, 30):O}", audit[0].Detail);
        Assert.StartsWith($"escalated to district {District} (level 2): Handling still overdue 01:00:00 after escalation to street {Street}", audit[1].Detail, StringComparison.Ordinal);
        Assert.StartsWith($"escalated to city {City} (level 3)", audit[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_escalation_reminder_survives_a_restart_on_the_same_file()
    {
        using var dir = new TempDirectory();
        var first = new RecordingNotifier();
        await using (var host = await StartAsync(first, sqliteDirectory: dir.Path))
        {
            await DispatchedAsync(host);
            host.Time.SetUtcNow(At(2, 14, 30));
            await first.Escalated(CaseId, 1).Task.Within();
        }
        SqliteConnection.ClearAllPools();

        var second = new RecordingNotifier();
        await using var restarted = await StartAsync(second, sqliteDirectory: dir.Path, start: At(2, 15));
        restarted.Time.SetUtcNow(At(2, 15, 30)); // nobody calls the case: the stored reminder activates it
        var (view, district) = await second.Escalated(CaseId, 2).Task.Within();
        Assert.Equal((District, 2, At(2, 15, 30)), (district.ToRegionCode, district.Level, district.At));
        Assert.Equal((District, 2), (view.EscalatedTo, view.EscalationLevel));
        Assert.Equal(2, (await restarted.Grains.GetGrain<ICaseGrain>(CaseId).History()).Count(h => h.Type == CaseEscalated.TypeName));
    }

    [Fact]
    public async Task A_suspended_case_does_not_escalate_and_resumes_its_interval_with_the_paused_time_left_out()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = await DispatchedAsync(host);
        host.Time.SetUtcNow(At(2, 14, 30));
        await notifier.Escalated(CaseId, 1).Task.Within();

        host.Time.SetUtcNow(At(2, 15));
        await Ok(grain, Command(Staff, CaseCommandKind.Suspend, "等待管线单位配合"));
        host.Time.SetUtcNow(At(2, 20)); // five hours of 挂账: the district would have been due at 15:30
        var resumed = await Ok(grain, Command(Staff, CaseCommandKind.Resume));
        Assert.Equal((Street, 1), (resumed.EscalatedTo, resumed.EscalationLevel));
        Assert.Equal(["escalated", "suspended", "resumed"], (await grain.History()).TakeLast(3).Select(h => h.Type));

        host.Time.SetUtcNow(At(2, 20, 29)); // 30 min before the suspension + 29 after it
        Assert.False(notifier.Escalated(CaseId, 2).Task.IsCompleted);
        host.Time.SetUtcNow(At(2, 20, 30));
        var (_, district) = await notifier.Escalated(CaseId, 2).Task.Within();
        Assert.Equal((District, At(2, 20, 30)), (district.ToRegionCode, district.At));
    }

    [Fact]
    public async Task Completing_the_overdue_step_resets_the_escalation_and_closing_stops_it()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = host.Grains.GetGrain<ICaseGrain>(CaseId);
        await Ok(grain, Report(Worker, region: Grid));
        await Ok(grain, Command(Staff, CaseCommandKind.File)); // 15 min to dispatch
        host.Time.SetUtcNow(At(2, 9, 15));
        await notifier.Escalated(CaseId, 1).Task.Within();

        host.Time.SetUtcNow(At(2, 9, 20));
        var dispatched = await Ok(grain, Command(Staff, CaseCommandKind.Dispatch, department: "water"));
        Assert.Equal((0, (string?)null, (DateTimeOffset?)null, false), (dispatched.EscalationLevel, dispatched.EscalatedTo, dispatched.EscalatedAt, dispatched.Overdue));
        host.Time.SetUtcNow(At(2, 10, 15)); // the district would be due now had the dispatch step stayed overdue
        Assert.Equal("dispatched", (await grain.History())[^1].Type);

        await Ok(grain, Command(Handler, CaseCommandKind.Accept));
        await Ok(grain, Command(Handler, CaseCommandKind.SubmitFeedback));
        await Ok(grain, Command(Staff, CaseCommandKind.RequestCheck));
        await Ok(grain, Command(Worker, CaseCommandKind.PassCheck));
        var closed = await Ok(grain, Command(Staff, CaseCommandKind.Close));
        Assert.Equal((CaseStatus.Closed, 0), (closed.Status, closed.EscalationLevel));
        host.Time.SetUtcNow(At(5, 9));
        Assert.Equal("closed", (await grain.History())[^1].Type);
        Assert.False(notifier.Escalated(CaseId, 2).Task.IsCompleted);
    }

    [Fact]
    public async Task A_voided_case_stops_escalating()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = host.Grains.GetGrain<ICaseGrain>(CaseId);
        await Ok(grain, Report(Worker, region: Grid));
        await Ok(grain, Command(Staff, CaseCommandKind.File));
        host.Time.SetUtcNow(At(2, 9, 15));
        await notifier.Escalated(CaseId, 1).Task.Within();

        var voided = await Ok(grain, Command(Staff, CaseCommandKind.Void, "重复上报"));
        Assert.Equal((CaseStatus.Void, (string?)null), (voided.Status, voided.EscalatedTo));
        host.Time.SetUtcNow(At(3, 9));
        Assert.Equal("voided", (await grain.History())[^1].Type);
    }

    [Fact]
    public async Task The_live_feed_gets_each_change_for_the_case_region_and_each_escalation_for_the_region_escalated_to()
    {
        var notifier = new RecordingNotifier();
        var feed = new RecordingLiveFeed();
        await using var host = await StartAsync(notifier, feed);
        var grain = await DispatchedAsync(host);
        host.Time.SetUtcNow(At(2, 14, 30));
        await notifier.Escalated(CaseId, 1).Task.Within();

        var updates = feed.Of<CaseUpdate>();
        Assert.Equal(["reported", "filed", "dispatched", "step_overdue", "escalated"], updates.Select(u => u.Change));
        Assert.All(updates, u => Assert.Equal([Grid, Community, Street, District, City], u.Scopes));
        var last = updates[^1];
        Assert.Equal((CaseId, CaseStatus.Dispatched, "0101", Grid, Grid, Street, 1, false, true, At(2, 14, 30)),
            (last.CaseId, last.Status, last.CategoryCode, last.RegionCode, last.GridCode, last.EscalatedTo, last.EscalationLevel, last.Urgent, last.Overdue, last.Deadline!.Value));

        var escalation = Assert.Single(feed.Of<CaseEscalationUpdate>());
        Assert.Equal((Street, RegionLevel.Street, 1, Grid), (escalation.ToRegionCode, escalation.ToRegionLevel, escalation.Level, escalation.CaseRegionCode));
        // The street's centre and those above it, not the community that let it go overdue, nor another district.
        Assert.Equal([Street, District, City], escalation.Scopes);
        Assert.DoesNotContain("310105", escalation.Scopes);
        Assert.Equal(CaseStatus.Dispatched, (await grain.Get())!.Status);
    }
}
