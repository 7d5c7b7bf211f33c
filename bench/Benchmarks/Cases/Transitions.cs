using System.Diagnostics;
using System.Globalization;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Benchmarks.Cases;

/// <summary>
/// Issue 5 figure: ≥ 20k case transitions/s sustained with the audit trail durable. Drives cases through
/// the real <see cref="CaseGrain"/> (real <see cref="CaseWorkflow"/>, SQLite event store, synchronous=FULL,
/// the deadline reminder kept durable on every step) along DOMAIN.md §3: half are patrol reports
/// (report → file → dispatch → accept → feedback → check → pass → close, 8 transitions), half public reports
/// with 核实 and one 返工 (report → request verification → verify → file → dispatch → accept → feedback →
/// check → fail → accept → feedback → check → pass → close, 14). Many cases run in parallel, each one's
/// commands in sequence, as a client would. Reports the transitions acknowledged per second in each
/// window and their median, then checks the audit trail holds exactly one row per acknowledged transition.
/// Run: dotnet run -c Release --project bench/Benchmarks -- transitions [parallel cases] [windows] [window s]
/// </summary>
internal static class Transitions
{
    private const string Region = "31010400101";
    private static readonly CaseActor Staff = new("staff1", CaseRoles.CommandStaff, "310104");
    private static readonly CaseActor Worker = new("worker1", CaseRoles.GridWorker, "310104001");
    private static readonly CaseActor Handler = new("water1", CaseRoles.DepartmentHandler, "310104", "water");

    private static readonly (CaseActor Actor, CaseCommandKind Kind, string? Note)[] Patrol =
    [
        (Worker, CaseCommandKind.Report, null), (Staff, CaseCommandKind.File, null), (Staff, CaseCommandKind.Dispatch, null),
        (Handler, CaseCommandKind.Accept, null), (Handler, CaseCommandKind.SubmitFeedback, "已更换井盖"), (Staff, CaseCommandKind.RequestCheck, null),
        (Worker, CaseCommandKind.PassCheck, null), (Staff, CaseCommandKind.Close, null),
    ];

    private static readonly (CaseActor Actor, CaseCommandKind Kind, string? Note)[] PublicWithRework =
    [
        (Staff, CaseCommandKind.Report, null), (Staff, CaseCommandKind.RequestVerification, null), (Worker, CaseCommandKind.Verify, null),
        (Staff, CaseCommandKind.File, null), (Staff, CaseCommandKind.Dispatch, null), (Handler, CaseCommandKind.Accept, null),
        (Handler, CaseCommandKind.SubmitFeedback, "已处理"), (Staff, CaseCommandKind.RequestCheck, null), (Worker, CaseCommandKind.FailCheck, "井盖仍松动"),
        (Handler, CaseCommandKind.Accept, null), (Handler, CaseCommandKind.SubmitFeedback, "已加固"), (Staff, CaseCommandKind.RequestCheck, null),
        (Worker, CaseCommandKind.PassCheck, null), (Staff, CaseCommandKind.Close, null),
    ];

    public static async Task RunAsync(string[] args)
    {
        var parallel = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var windows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var windowLength = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);
        var warmup = TimeSpan.FromSeconds(5);
        var dir = Path.Combine(Path.GetTempPath(), "gridgov-transitions-bench", Guid.NewGuid().ToString("N"));
        try
        {
            using var host = await StartAsync(dir);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            using var stop = new CancellationTokenSource();
            var counters = new Counters();
            Console.WriteLine($"transitions: {parallel:N0} cases in parallel, warm-up {warmup.TotalSeconds:N0} s, {windows} windows of {windowLength.TotalSeconds:N0} s, load {Actors.Deadlines.Load()}");
            var drivers = Enumerable.Range(0, parallel).Select(d => Task.Run(() => DriveAsync(grains, d, counters, stop.Token))).ToArray();

            await Task.Delay(warmup);
            // CPU over the measured windows only (not start-up and JIT).
            var (cpu0, measured0) = (Process.GetCurrentProcess().TotalProcessorTime, counters.Transitions);
            var rates = new List<double>();
            for (var w = 0; w < windows; w++)
            {
                var (n0, t0) = (counters.Transitions, Stopwatch.GetTimestamp());
                await Task.Delay(windowLength);
                var rate = (counters.Transitions - n0) / Stopwatch.GetElapsedTime(t0).TotalSeconds;
                rates.Add(rate);
                Console.WriteLine($"  window {w + 1}: {rate:N0} transitions/s (cases closed so far {counters.Closed:N0}, failures {counters.Failures:N0}, load {Actors.Deadlines.Load()})");
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            var measured = counters.Transitions - measured0;
            await stop.CancelAsync();
            await Task.WhenAll(drivers);
            rates.Sort();
            var median = rates[rates.Count / 2];
            var elapsed = windowLength * windows;
            Console.WriteLine($"transitions: median {median:N0}/s (min {rates[0]:N0}, max {rates[^1]:N0}); process CPU {cpu.TotalSeconds / elapsed.TotalSeconds * 100:N0}% of one core, " +
                $"{cpu.TotalMilliseconds * 1000 / Math.Max(1, measured):N1} µs CPU per transition (load-independent; both cores at that cost ≈ {2e6 / (cpu.TotalMilliseconds * 1000 / Math.Max(1, measured)):N0}/s)");
            var rows = Count(dir, "SELECT COUNT(*) FROM case_events");
            var cases = Count(dir, "SELECT COUNT(DISTINCT case_id) FROM case_events");
            Console.WriteLine($"audit trail: {rows:N0} rows for {counters.Transitions:N0} acknowledged transitions in {cases:N0} cases " +
                $"({(rows == counters.Transitions ? "match" : "MISMATCH")}); failures {counters.Failures:N0}");
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<IHost> StartAsync(string dir)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddActorRuntime()
            .AddGrainsFromAssembly(typeof(GrainsAssembly).Assembly)
            .AddJsonContext(GrainsJsonContext.Default)
            // The production setting: synchronous=FULL, every acknowledged transition committed.
            .UseSqliteStorage(configure: o => { o.DataDirectory = dir; o.Synchronous = SqliteSynchronous.Full; })
            .AddCases();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>One client working through cases one after another, each command awaited before the next.</summary>
    private static async Task DriveAsync(IGrainFactory grains, int driver, Counters counters, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            // Sequential like CaseNumberGrain's ids (C + day + sequence): the cases open at any moment are recent ones.
            var id = CaseIds.Format("20260302", Interlocked.Increment(ref counters.NextCase));
            var grain = grains.GetGrain<ICaseGrain>(id);
            var script = (driver + n) % 2 == 0 ? Patrol : PublicWithRework;
            for (var step = 0; step < script.Length && !stop.IsCancellationRequested; step++)
            {
                var (actor, kind, note) = script[step];
                var result = await grain.Execute(Command(id, step, actor, kind, note));
                if (!result.Succeeded)
                {
                    if (Interlocked.Increment(ref counters.FailureCount) <= 5) Console.WriteLine($"  {id} {kind}: {result.Status} {result.Error}");
                    break;
                }
                Interlocked.Increment(ref counters.TransitionCount);
            }
            if (!stop.IsCancellationRequested) Interlocked.Increment(ref counters.ClosedCount);
        }
    }

    private static CaseCommand Command(string id, int step, CaseActor actor, CaseCommandKind kind, string? note) => kind == CaseCommandKind.Report
        ? new CaseCommand
        {
            RequestId = $"{id}-{step}",
            Actor = actor,
            Kind = kind,
            CaseKind = CaseKind.Component,
            CategoryCode = "0101",
            Urgency = Urgency.Normal,
            RegionCode = Region,
            Description = "井盖破损",
            Latitude = 31.2,
            Longitude = 121.4,
            Attachments = ["https://files.example/p/1.jpg"],
        }
        : new CaseCommand
        {
            RequestId = $"{id}-{step}",
            Actor = actor,
            Kind = kind,
            Note = note,
            Department = kind == CaseCommandKind.Dispatch ? "water" : null,
            Attachments = kind == CaseCommandKind.SubmitFeedback ? ["https://files.example/p/2.jpg"] : null,
        };

    private static long Count(string dir, string sql)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(dir, SqliteStorageOptions.DefaultFileName)};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private sealed class Counters
    {
        public long TransitionCount;
        public long FailureCount;
        public long ClosedCount;
        public long NextCase;
        public long Transitions => Interlocked.Read(ref TransitionCount);
        public long Failures => Interlocked.Read(ref FailureCount);
        public long Closed => Interlocked.Read(ref ClosedCount);
    }
}
