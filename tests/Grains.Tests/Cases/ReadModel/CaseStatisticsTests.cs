using GridGov.Realtime.Grains.Assessment;
using GridGov.Realtime.Grains.Cases;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases.ReadModel;

public sealed class CaseStatisticsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_district_counters_rates_and_grade_match_the_hand_computed_example()
    {
        await using var h = await ReadModelHarness.StartAsync();
        await ExampleDistrict.SeedAsync(h);

        var c = await h.ReadModel.RegionCountersAsync("310104", ExampleDistrict.March.AddDays(-1), ExampleDistrict.April, Ct);

        // 6 reported, 5 filed (E voided before filing), 4 dispatched (F waits), 3 handled (A, B, C; B late),
        // 3 closed (A and C on time), 1 reworked (C), 1 verified public report (F).
        Assert.Equal(new CaseCounters
        {
            Reported = 6, ValidReported = 5, Filed = 5, Voided = 0, ShouldDispatch = 5, Dispatched = 4,
            ShouldHandle = 4, Handled = 3, HandledOnTime = 2, HandledOverdue = 1,
            ShouldClose = 5, Closed = 3, ClosedOnTime = 2, Reworked = 1, SupervisionReportsVerified = 1,
        }, c);
        var rates = PublishedRates.Of(c);
        Assert.Equal((60.00m, 40.00m, 50.00m, 20.00m, 25.00m, 20.00m),
            (rates.ClosureRate, rates.OnTimeClosureRate, rates.OnTimeHandlingRate, rates.ReworkRate, rates.OverdueRate, rates.SupervisionReportRate));

        // 监督举报率分值 (100 − 20) × 10% + 立案数分值 (5 cases, 一类 ≤ 6 → 60) × 20% + 结案率 60 × 30% + 按期结案率 40 × 40% = 54 → D.
        var score = CompositeScores.Region(c, RegionClass.ClassOne);
        Assert.Equal((54.00m, Grade.D), (score.Published, score.Grade));
    }

    [Fact]
    public async Task Departments_are_scored_on_the_cases_dispatched_to_them()
    {
        await using var h = await ReadModelHarness.StartAsync();
        await ExampleDistrict.SeedAsync(h);

        var departments = await h.ReadModel.DepartmentCountersAsync("310104", ExampleDistrict.March.AddDays(-1), ExampleDistrict.April, Ct);

        Assert.Equal(["power", "water"], departments.Keys.Order(StringComparer.Ordinal));
        var water = departments["water"];
        Assert.Equal((3, 3, 2, 1, 3, 3, 2, 1), (water.Filed, water.ShouldHandle, water.HandledOnTime, water.HandledOverdue, water.ShouldClose, water.Closed, water.ClosedOnTime, water.Reworked));
        // 立案数分值 100 × 10% + 结案率 100 × 30% + 按时处置率 66.67 × 30% + (100 − 返工率 33.33) × 30% = 80 → B.
        Assert.Equal((80.00m, Grade.B), (CompositeScores.Department(water).Published, CompositeScores.Department(water).Grade));
        // power: nothing closed or handled yet: 100 × 10% + 0 + 0 + (100 − 0) × 30% = 40 → D.
        Assert.Equal((40.00m, Grade.D), (CompositeScores.Department(departments["power"]).Published, CompositeScores.Department(departments["power"]).Grade));
    }

    [Fact]
    public async Task Workers_are_scored_on_their_valid_reports_and_their_checks()
    {
        await using var h = await ReadModelHarness.StartAsync();
        await ExampleDistrict.SeedAsync(h);

        var workers = await h.ReadModel.WorkerCountersAsync("310104", ExampleDistrict.March.AddDays(-1), ExampleDistrict.April, Ct);

        Assert.Equal(["staff1", "worker1"], workers.Keys);
        // worker1 reported A–E (E voided: 4 of 5 valid) and did the last 核查 of A, B and C, all on time.
        Assert.Equal((5, 4, 3, 3), (workers["worker1"].Reported, workers["worker1"].ValidReported, workers["worker1"].ShouldCheck, workers["worker1"].CheckedOnTime));
        // 有效上报率 80 × 40% + 按时核查率 100 × 20%, re-normalised over the 60% that applies = 86.67 → B.
        var score = AssessmentReport.SupervisorScore(workers["worker1"]);
        Assert.Equal((86.67m, Grade.B), (score.Published, score.Grade));
        Assert.Equal((1, 1, 0), (workers["staff1"].Reported, workers["staff1"].ValidReported, workers["staff1"].ShouldCheck));
    }

    [Fact]
    public async Task Sub_regions_are_counted_by_their_code_prefix()
    {
        await using var h = await ReadModelHarness.StartAsync();
        await ExampleDistrict.SeedAsync(h);

        var districts = await h.ReadModel.SubRegionCountersAsync("310100", 6, ExampleDistrict.March.AddDays(-1), ExampleDistrict.April, Ct);

        Assert.Equal(6, districts["310104"].Reported);
        Assert.Equal(1, districts["310105"].Reported);
        Assert.Equal(2, districts.Count);
    }

    [Fact]
    public async Task The_monthly_series_counts_reports_by_report_month_and_closures_by_closing_month()
    {
        await using var h = await ReadModelHarness.StartAsync();
        var beijing = TimeSpan.FromHours(8);
        var january = await h.ReportAsync(new DateTimeOffset(2026, 1, 30, 9, 0, 0, beijing));
        await h.DoAsync(january, Staff, CaseCommandKind.File, new DateTimeOffset(2026, 1, 30, 9, 1, 0, beijing));
        await h.DoAsync(january, Staff, CaseCommandKind.Dispatch, new DateTimeOffset(2026, 1, 30, 9, 2, 0, beijing), "water");
        await h.HandleAndCloseAsync(january, new DateTimeOffset(2026, 2, 2, 9, 0, 0, beijing));
        await h.ClosedAsync(At(2, 9));
        await h.ReportAsync(At(31, 23, 59));
        // Reported at 00:30 Beijing on 1 April: still 31 March in UTC, but the city's April.
        await h.ReportAsync(new DateTimeOffset(2026, 4, 1, 0, 30, 0, beijing));
        await h.ReportAsync(At(3, 9), Admin, ExampleDistrict.OtherRegion);

        var boundaries = Enumerable.Range(0, 13).Select(m => new DateTimeOffset(2026, 1, 1, 0, 0, 0, beijing).AddMonths(m)).ToList();
        var series = await h.ReadModel.SeriesAsync("310104", boundaries, Ct);

        Assert.Equal(12, series.Count);
        Assert.Equal((1, 0), series[0]);
        Assert.Equal((0, 1), series[1]);
        Assert.Equal((2, 1), series[2]);
        Assert.Equal((1, 0), series[3]);
        Assert.All(series.Skip(4), p => Assert.Equal((0, 0), p));
    }
}
