using System.Diagnostics;
using System.Globalization;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Assessment;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Cases.ReadModel;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Benchmarks.Cases;

/// <summary>
/// Issue 5 figure: the statistics of a district over a year of 1M cases are answered in ≤ 200 ms.
/// Seeds the case read model of the benchmark city (10 districts, 17,350 grids) with a year of cases
/// (bulk insert in key order, one transaction per 50k rows), then times each statistics query of the
/// API against one district (median of the runs, after one warm-up run).
/// Run: dotnet run -c Release --project bench/Benchmarks -- casestats [cases] [runs] [data directory]
/// With a data directory the seeded file is kept there and reused by the next run (seeding a million
/// cases takes minutes on a loaded 2-core machine); without one a temporary directory is used and deleted.
/// </summary>
internal static class CaseStatisticsBench
{
    private const int Batch = 50_000;
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly string[] Departments = ["water", "power", "gas", "roads", "parks", "sanitation", "traffic", "housing", "telecom", "drainage", "lighting", "markets"];

    public static async Task RunAsync(int cases, int runs, string? keepIn = null)
    {
        var dir = keepIn ?? Path.Combine(Path.GetTempPath(), "gridgov-casestats-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var city = SyntheticCity.Generate(SyntheticCityOptions.Benchmark);
            await using var database = new SqliteDatabase(
                Options.Create(new SqliteStorageOptions { DataDirectory = dir, Synchronous = SqliteSynchronous.Normal }),
                [SqliteCaseEventStore.Migration, CaseSummaryTable.Migration], NullLogger<SqliteDatabase>.Instance);
            await database.InitializeAsync();

            var seed = Stopwatch.StartNew();
            var existing = Count(database);
            if (existing == 0) await SeedAsync(database, city.Tree, cases);
            else if (existing != cases) throw new InvalidOperationException($"{dir} holds {existing:N0} cases, not {cases:N0}; use another directory.");
            var sizeMb = new FileInfo(database.DatabasePath).Length / 1048576.0;
            Console.WriteLine(existing == 0
                ? $"seeded {cases:N0} cases over 2025 in {city.Tree.Grids.Count:N0} grids of {city.Options.Districts} districts: {seed.Elapsed.TotalSeconds:N1} s, {sizeMb:N0} MiB"
                : $"reusing {existing:N0} seeded cases in {dir} ({sizeMb:N0} MiB)");

            var readModel = new CaseReadModel(database);
            var district = city.Tree.Roots[0].Children[0].Code;
            var cityCode = city.Tree.Roots[0].Code;
            var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, Beijing);
            var to = from.AddYears(1);
            var months = Enumerable.Range(0, 13).Select(m => from.AddMonths(m)).ToList();
            var counters = await readModel.RegionCountersAsync(district, from, to);
            Console.WriteLine($"district {district}: {counters.Reported:N0} cases, 结案率 {Percent.Display(Rates.Closure(counters))}, 按期结案率 {Percent.Display(Rates.OnTimeClosure(counters))}, " +
                $"score {CompositeScores.Region(counters, RegionClass.ClassOne).Published} ({CompositeScores.Region(counters, RegionClass.ClassOne).Grade})");

            await TimeAsync("district statistics (counters, rates, score)", runs, async () =>
            {
                var c = await readModel.RegionCountersAsync(district, from, to);
                return CompositeScores.Region(c, RegionClass.ClassOne).Published ?? 0;
            });
            await TimeAsync("district departments ranked", runs, async () => (await readModel.DepartmentCountersAsync(district, from, to)).Count);
            await TimeAsync("district workers ranked", runs, async () => (await readModel.WorkerCountersAsync(district, from, to)).Count);
            await TimeAsync("district streets ranked", runs, async () => (await readModel.SubRegionCountersAsync(district, 9, from, to)).Count);
            await TimeAsync("district monthly reported vs closed", runs, async () => (await readModel.SeriesAsync(district, months)).Sum(m => m.Reported));
            await TimeAsync("city districts ranked (all cases)", runs, async () => (await readModel.SubRegionCountersAsync(cityCode, 6, from, to)).Count);
            await TimeAsync("district live counts (open, overdue, escalated)", runs, async () => (await readModel.CountAsync(district)).Open);
            await TimeAsync("district case list, first page of 50", runs, async () =>
                (await readModel.ListAsync(new CaseListQuery { RegionCode = district }, to)).Items.Count);
            await TimeAsync("district case list, red cases", runs, async () =>
                (await readModel.ListAsync(new CaseListQuery { RegionCode = district, Light = TrafficLight.Red }, to)).Items.Count);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keepIn is null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static long Count(SqliteDatabase database) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM case_summaries";
        return (long)command.ExecuteScalar()!;
    });

    private static async Task TimeAsync(string name, int runs, Func<Task<decimal>> query)
    {
        var result = await query(); // warm-up
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            result = await query();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"{name}: median {times[runs / 2].ToString("N1", CultureInfo.InvariantCulture)} ms (min {times[0]:N1}, max {times[^1]:N1}, {runs} runs; result {result:N0})");
    }

    // Rows are generated in primary-key order (region code, report time) so the clustered table is appended to.
    private static async Task SeedAsync(SqliteDatabase database, RegionTree tree, int cases)
    {
        var rng = new Random(20250101);
        var grids = tree.Grids.Select(g => g.Code).Order(StringComparer.Ordinal).ToArray();
        var yearStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, Beijing);
        var yearMs = (long)TimeSpan.FromDays(365).TotalMilliseconds;
        var perGrid = new int[grids.Length];
        for (var i = 0; i < cases; i++) perGrid[rng.Next(grids.Length)]++;
        var dayCounters = new Dictionary<string, int>(StringComparer.Ordinal);
        var pending = new List<CaseSummary>(Batch);
        for (var g = 0; g < grids.Length; g++)
        {
            var times = new long[perGrid[g]];
            for (var k = 0; k < times.Length; k++) times[k] = rng.NextInt64(yearMs);
            Array.Sort(times);
            foreach (var t in times)
            {
                var reported = yearStart.AddMilliseconds(t);
                var day = reported.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                dayCounters[day] = dayCounters.GetValueOrDefault(day) + 1;
                pending.Add(Synthetic(rng, CaseIds.Format(day, dayCounters[day]), grids[g], reported));
                if (pending.Count == Batch) await WriteAsync(database, pending);
            }
        }
        await WriteAsync(database, pending);
    }

    private static async Task WriteAsync(SqliteDatabase database, List<CaseSummary> rows)
    {
        if (rows.Count == 0) return;
        var batch = rows.ToArray();
        rows.Clear();
        await database.WriteAsync(context =>
        {
            var insert = context.Command(CaseSummaryTable.UpsertCommandText);
            foreach (var row in batch)
            {
                CaseSummaryTable.Bind(insert.Parameters, row);
                insert.ExecuteNonQuery();
            }
            return batch.Length;
        });
    }

    // A plausible year: 3 % voided before filing, 90 % of filed cases closed, 1 in 8 handled late, 5 % reworked, 2 % 督办.
    private static CaseSummary Synthetic(Random rng, string id, string grid, DateTimeOffset reported)
    {
        var voided = rng.NextDouble() < 0.03;
        var closed = !voided && rng.NextDouble() < 0.90;
        var late = !voided && rng.NextDouble() < 0.125;
        var handled = closed || (!voided && rng.NextDouble() < 0.5);
        var filed = voided ? (DateTimeOffset?)null : reported.AddMinutes(5);
        var status = voided ? CaseStatus.Void : closed ? CaseStatus.Closed : handled ? CaseStatus.Feedback : CaseStatus.Handling;
        return new CaseSummary
        {
            CaseId = id,
            Version = voided ? 2 : closed ? 10 : handled ? 5 : 4,
            Status = status,
            Kind = CaseKind.Component,
            CategoryCode = rng.Next(2) == 0 ? "0101" : "0102",
            Urgency = Urgency.Normal,
            RegionCode = grid,
            Department = voided ? null : Departments[rng.Next(Departments.Length)],
            ReportedBy = $"w{grid[..12]}-{rng.Next(4)}",
            CheckedBy = closed ? $"w{grid[..12]}-{rng.Next(4)}" : null,
            ReportedAt = reported,
            FiledAt = filed,
            DispatchedAt = filed?.AddMinutes(5),
            HandledAt = handled ? reported.AddHours(late ? 30 : 3) : null,
            ClosedAt = closed ? reported.AddHours(late ? 32 : 5) : null,
            UpdatedAt = reported.AddHours(5),
            Step = status == CaseStatus.Handling ? CaseStep.Handling : null,
            Deadline = status == CaseStatus.Handling ? reported.AddHours(4) : null,
            YellowAt = status == CaseStatus.Handling ? reported.AddHours(3.2) : null,
            HandlingOverdue = late,
            EverOverdue = late,
            Overdue = late && status == CaseStatus.Handling,
            CheckOnTime = closed ? rng.NextDouble() < 0.95 : null,
            ReworkCount = !voided && rng.NextDouble() < 0.05 ? 1 : 0,
            Escalated = !voided && rng.NextDouble() < 0.02,
        };
    }
}
