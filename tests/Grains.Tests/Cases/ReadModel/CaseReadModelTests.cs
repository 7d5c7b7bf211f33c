using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Cases.ReadModel;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases.ReadModel;

public sealed class CaseReadModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<string>> IdsAsync(ReadModelHarness h, CaseListQuery query, DateTimeOffset? now = null) =>
        [.. (await h.ReadModel.ListAsync(query, now ?? At(31, 9), Ct)).Items.Select(i => i.CaseId)];

    private static CaseListQuery District => new() { RegionCode = "310104" };

    [Fact]
    public async Task Every_append_updates_the_case_row_in_the_same_write()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var id = await h.ReportAsync(At(2, 9));
        Assert.Equal((CaseStatus.Reported, 1L, CaseStep.Filing), (h.Row(id).Status, h.Row(id).Version, h.Row(id).Step));

        await h.DoAsync(id, Staff, CaseCommandKind.File, At(2, 9, 1));
        await h.DoAsync(id, Staff, CaseCommandKind.Dispatch, At(2, 9, 2), "water");
        var row = h.Row(id);
        Assert.Equal((CaseStatus.Dispatched, 3L, "water", CaseStep.Handling), (row.Status, row.Version, row.Department, row.Step));
        Assert.Equal((At(2, 9, 1), At(2, 9, 2), true), (row.FiledAt, row.DispatchedAt, row.IsOpen));
    }

    [Fact]
    public async Task The_listing_filters_by_status_category_department_region_and_report_time()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var x = await ExampleDistrict.SeedAsync(h);

        Assert.Equal([x.C, x.B, x.A], await IdsAsync(h, District with { Status = CaseStatus.Closed }));
        Assert.Equal([x.D], await IdsAsync(h, District with { CategoryCode = "0102" }));
        Assert.Equal([x.D], await IdsAsync(h, District with { Department = "power" }));
        Assert.Equal([x.H], await IdsAsync(h, new CaseListQuery { RegionCode = ExampleDistrict.OtherRegion }));
        Assert.Equal([x.G, x.H, x.F, x.E, x.D, x.C, x.B, x.A], await IdsAsync(h, new CaseListQuery { RegionCode = "310100" }));
        Assert.Equal([x.F, x.E, x.D, x.C, x.B, x.A], await IdsAsync(h, District with { To = ExampleDistrict.April }));
        Assert.Equal([x.G], await IdsAsync(h, District with { From = ExampleDistrict.April }));
        Assert.Equal([x.E, x.D], await IdsAsync(h, District with { From = At(9, 0), To = At(11, 0) }));
    }

    [Fact]
    public async Task The_traffic_light_filter_agrees_with_the_working_calendar()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var id = await h.ReportAsync(At(2, 9));
        await h.DoAsync(id, Staff, CaseCommandKind.File, At(2, 9, 1));
        await h.DoAsync(id, Staff, CaseCommandKind.Dispatch, At(2, 9, 2), "water");
        var row = h.Row(id);
        var calendar = Workflow.Calendar;
        var limit = new TimeLimit(4, TimeUnit.WorkingHours);
        Assert.Equal(calendar.Deadline(At(2, 9, 2), limit), row.Deadline);
        Assert.Equal(calendar.Deadline(At(2, 9, 2), new TimeLimit(3.2m, TimeUnit.WorkingHours)), row.YellowAt);

        foreach (var now in new[] { At(2, 9, 3), row.YellowAt!.Value.AddMinutes(-1), row.YellowAt.Value, row.Deadline!.Value, row.Deadline.Value.AddMinutes(1) })
        {
            var expected = calendar.Light(At(2, 9, 2), now, limit);
            Assert.Equal(expected, row.LightAt(now));
            foreach (var light in Enum.GetValues<TrafficLight>())
                Assert.Equal(light == expected ? [id] : [], await IdsAsync(h, District with { Light = light }, now));
        }
    }

    [Fact]
    public async Task A_paused_case_keeps_the_light_its_pause_found()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var id = await h.ReportAsync(At(2, 9));
        await h.DoAsync(id, Staff, CaseCommandKind.File, At(2, 9, 1));
        await h.DoAsync(id, Staff, CaseCommandKind.Dispatch, At(2, 9, 2), "water");
        var yellow = h.Row(id).YellowAt!.Value;
        await h.DoAsync(id, Staff, CaseCommandKind.Suspend, yellow.AddMinutes(1));

        var row = h.Row(id);
        Assert.Equal((null, TrafficLight.Yellow), (row.Deadline, row.PausedLight));
        Assert.Equal([id], await IdsAsync(h, District with { Light = TrafficLight.Yellow }, At(20, 9)));
    }

    [Fact]
    public async Task Pages_follow_the_cursor_without_gaps_or_repeats()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var x = await ExampleDistrict.SeedAsync(h);
        // Two cases reported in the same millisecond: the case id breaks the tie.
        var twin1 = await h.ReportAsync(At(20, 9));
        var twin2 = await h.ReportAsync(At(20, 9));

        var seen = new List<string>();
        CaseListCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await h.ReadModel.ListAsync(new CaseListQuery { RegionCode = "", PageSize = 3, After = cursor }, At(31, 9), Ct);
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items.Select(i => i.CaseId));
            Assert.True(CaseListCursor.TryDecode(page.Next?.Encode(), out var decoded) || page.Next is null);
            cursor = decoded;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal([x.G, twin2, twin1, x.H, x.F, x.E, x.D, x.C, x.B, x.A], seen);
        Assert.Equal(4, pages);
        Assert.False(CaseListCursor.TryDecode("not a cursor", out _));
    }

    [Fact]
    public async Task A_rebuild_from_the_event_store_gives_the_same_rows()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var x = await ExampleDistrict.SeedAsync(h);
        await h.OverdueAsync(x.D, At(20, 9));
        await h.DoAsync(x.F, Staff, CaseCommandKind.Supervise, At(20, 10));
        var live = h.Rows();

        h.Execute("DELETE FROM case_summaries");
        Assert.Empty(h.Rows());
        Assert.Equal(8, await h.Projection.RebuildAsync());

        Assert.Equal(live, h.Rows());
    }

    [Fact]
    public async Task Events_stored_before_the_read_model_existed_are_projected_at_start_up()
    {
        using var dir = new TempDirectory();
        var options = Options.Create(new SqliteStorageOptions { DataDirectory = dir.Path });
        await using (var old = new SqliteDatabase(options, [SqliteCaseEventStore.Migration], NullLogger<SqliteDatabase>.Instance))
        {
            await old.InitializeAsync(Ct);
            var e = Workflow.Decide(CaseId, null, Report(Worker), At(2, 9)).Event!;
            Assert.Equal(CaseAppendOutcome.Appended, await new SqliteCaseEventStore(old).AppendAsync(CaseId, 0, [e], Ct));
        }
        await using (var upgraded = new SqliteDatabase(options, [SqliteCaseEventStore.Migration, CaseSummaryTable.Migration], NullLogger<SqliteDatabase>.Instance))
        {
            var projection = new CaseSummaryProjection(upgraded, Workflow.Calendar, NullLogger<CaseSummaryProjection>.Instance);
            Assert.True(await projection.RebuildIfRequestedAsync(Ct));
            Assert.False(await projection.RebuildIfRequestedAsync(Ct));
            var page = await new CaseReadModel(upgraded).ListAsync(new CaseListQuery { RegionCode = "" }, At(2, 9), Ct);
            Assert.Equal([CaseId], page.Items.Select(i => i.CaseId));
        }
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Live_counts_include_open_overdue_and_escalated_cases_and_the_listener_hears_each_change()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var x = await ExampleDistrict.SeedAsync(h);
        Assert.Equal(new Live.LiveCaseCounts(3, 0, 0), await h.ReadModel.CountAsync("310104", Ct));
        Assert.Equal(new Live.LiveCaseCounts(4, 0, 0), await h.ReadModel.CountAsync("310100", Ct));

        h.Listener.Clear();
        await h.DoAsync(x.D, OtherHandler, CaseCommandKind.SubmitFeedback, At(9, 9, 30));
        Assert.Empty(h.Listener.Regions);
        await h.DoAsync(x.F, Staff, CaseCommandKind.Supervise, At(20, 10));
        await h.DoAsync(x.F, Staff, CaseCommandKind.Dispatch, At(20, 10, 1), "water");
        await h.OverdueAsync(x.F, At(23, 9));
        Assert.Equal([Region, Region], h.Listener.Regions);
        Assert.Equal(new Live.LiveCaseCounts(3, 1, 1), await h.ReadModel.CountAsync("310104", Ct));
        Assert.Equal(new Live.LiveCaseCounts(1, 0, 0), await h.ReadModel.CountAsync(ExampleDistrict.OtherRegion, Ct));

        await h.HandleAndCloseAsync(x.F, At(23, 10));
        Assert.Equal(new Live.LiveCaseCounts(2, 0, 0), await h.ReadModel.CountAsync("310104", Ct));
        Assert.Equal(4, h.Listener.Regions.Count); // the feedback ended the overdue step; the close ended the case
    }
}
