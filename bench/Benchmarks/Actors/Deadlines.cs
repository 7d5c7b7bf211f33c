using System.Diagnostics;
using System.Globalization;
using GridGov.Realtime.Actors.Runtime;
using GridGov.Realtime.Actors.Storage;
using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GridGov.Realtime.Benchmarks.Actors;

/// <summary>
/// Issue 5 figure: 1M pending deadlines held, each fired ≤ 1 s late, restart with them ready in ≤ 10 s.
/// <para><c>live</c>: N deadline grains each register one durable one-shot reminder through the real grain API
/// (SQLite, fsync on), due roughly uniformly over a window that starts after registration is expected to end;
/// then reports the memory held with all of them pending and the lateness of every fire.</para>
/// <para><c>restart</c>: N pending reminder rows are written to a SQLite file, a fresh runtime is started on it
/// (timed to ready: migrations checked, every reminder loaded and armed), and every one must fire on time.</para>
/// Run: dotnet run -c Release --project bench/Benchmarks -- deadlines [count] [live|restart|both] [window s] [lead s]
/// </summary>
internal static class Deadlines
{
    private const int InFlight = 10_000;

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var variant = args.Length > 2 ? args[2] : "both";
        var window = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30);
        // Registration ran at ~39k/s on the 2-core machine even under load; the window opens after it is expected to end.
        var lead = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 15 + count / 25_000);
        Console.WriteLine($"deadlines: {count:N0}, window {window.TotalSeconds:N0} s, lead {lead.TotalSeconds:N0} s, load {Load()}");
        if (variant is "live" or "both") await LiveAsync(count, window, lead);
        if (variant is "restart" or "both") await RestartAsync(count, window);
    }

    private static async Task LiveAsync(int count, TimeSpan window, TimeSpan lead)
    {
        var dir = NewDirectory();
        try
        {
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            using var host = await BenchHost.StartAsync(r => r.UseSqliteStorage(configure: o => o.DataDirectory = dir));
            var recorder = host.Services.GetRequiredService<FireRecorder>();
            var runtime = host.Services.GetRequiredService<ActorRuntime>();
            var all = recorder.Reset(count);
            var opens = DateTimeOffset.UtcNow + lead;
            var sw = Stopwatch.StartNew();
            var grains = host.Grains();
            var pending = new List<Task>(InFlight);
            for (var i = 0; i < count; i++)
            {
                pending.Add(grains.GetGrain<IDeadlineGrain>(DeadlineGrain.Key(i)).Arm(DueMs(opens, window, i, count)));
                if (pending.Count == InFlight)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }
            await Task.WhenAll(pending);
            var registered = sw.Elapsed;
            var held = runtime.Reminders.Count;
            var fired = recorder.Count;
            var heap = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            Console.WriteLine($"live: registered {count:N0} through grains in {registered.TotalSeconds:N1} s ({count / registered.TotalSeconds:N0}/s); " +
                $"held {held:N0} pending ({fired:N0} fired already), {runtime.ActivationCount:N0} activations");
            Console.WriteLine($"live: memory with them pending: managed heap {heap / 1048576.0:N0} MiB ({(double)heap / Math.Max(1, held):N0} B each), working set {WorkingSetMb():N0} MiB");
            var cpu0 = CpuTime();
            await WaitForFiresAsync(all, opens + window, recorder);
            Console.WriteLine($"live: {recorder.Summarize()}");
            await runtime.Reminders.WhenSettledAsync();
            Console.WriteLine($"live: {(CpuTime() - cpu0).TotalMilliseconds * 1000 / count:N1} µs process CPU per fire (activation, turn, durable delete)");
            Console.WriteLine($"live: reminder rows left after every fire was handled: {RowCount(dir):N0}; working set {WorkingSetMb():N0} MiB; load {Load()}");
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RestartAsync(int count, TimeSpan window)
    {
        var dir = NewDirectory();
        try
        {
            await SeedAsync(dir, count, window);
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            // Due times are shifted just before the restart so the window opens a few seconds after it.
            var opens = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
            Shift(dir, opens.ToUnixTimeMilliseconds());
            var sw = Stopwatch.StartNew();
            using var host = await BenchHost.StartAsync(r => r.UseSqliteStorage(configure: o => o.DataDirectory = dir));
            var ready = sw.Elapsed;
            var runtime = host.Services.GetRequiredService<ActorRuntime>();
            var recorder = host.Services.GetRequiredService<FireRecorder>();
            var all = recorder.Reset(count);
            var held = runtime.Reminders.Count;
            var heap = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            Console.WriteLine($"restart: ready in {ready.TotalMilliseconds:N0} ms with {held:N0} reminders loaded and armed; " +
                $"managed heap {heap / 1048576.0:N0} MiB ({(double)heap / Math.Max(1, held):N0} B each), working set {WorkingSetMb():N0} MiB");
            var cpu0 = CpuTime();
            await WaitForFiresAsync(all, opens + window, recorder);
            Console.WriteLine($"restart: {recorder.Summarize()}");
            await runtime.Reminders.WhenSettledAsync();
            Console.WriteLine($"restart: {(CpuTime() - cpu0).TotalMilliseconds * 1000 / count:N1} µs process CPU per fire (activation, turn, durable delete)");
            Console.WriteLine($"restart: reminder rows left after every fire was handled: {RowCount(dir):N0}; load {Load()}");
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Roughly uniform over the window, in an order unrelated to registration order.</summary>
    private static long DueMs(DateTimeOffset opens, TimeSpan window, int i, int count) =>
        opens.ToUnixTimeMilliseconds() + (long)(window.TotalMilliseconds * ((i * 7919L) % count) / count);

    private static async Task WaitForFiresAsync(Task all, DateTimeOffset closes, FireRecorder recorder)
    {
        var grace = closes - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        if (await Task.WhenAny(all, Task.Delay(grace > TimeSpan.Zero ? grace : TimeSpan.FromSeconds(30))) != all)
            Console.WriteLine($"NOT ALL FIRED within 30 s after the window closed: {recorder.Count:N0}");
    }

    private static async Task SeedAsync(string dir, int count, TimeSpan window)
    {
        using var host = await BenchHost.StartAsync(r => r.UseSqliteStorage(configure: o => o.DataDirectory = dir));
        var table = host.Services.GetRequiredService<IReminderTable>();
        var type = GrainTypeRegistry.GrainTypeName(typeof(DeadlineGrain));
        var sw = Stopwatch.StartNew();
        var writes = new List<Task>(InFlight);
        for (var i = 0; i < count; i++)
        {
            // Offsets from 0; Shift moves them to the real window.
            writes.Add(table.UpsertAsync(new ReminderRow(new(type, DeadlineGrain.Key(i)), DeadlineGrain.Reminder, DateTimeOffset.FromUnixTimeMilliseconds(DueMs(DateTimeOffset.UnixEpoch, window, i, count)), null)));
            if (writes.Count == InFlight)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }
        }
        await Task.WhenAll(writes);
        Console.WriteLine($"restart: seeded {count:N0} reminder rows in {sw.Elapsed.TotalSeconds:N1} s, file {new FileInfo(Path.Combine(dir, SqliteStorageOptions.DefaultFileName)).Length / 1048576.0:N0} MiB");
        await host.StopAsync();
    }

    private static void Shift(string dir, long byMs)
    {
        using var c = Open(dir);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE reminders SET due_at_ms = due_at_ms + $d";
        cmd.Parameters.AddWithValue("$d", byMs);
        cmd.ExecuteNonQuery();
    }

    private static long RowCount(string dir)
    {
        using var c = Open(dir);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM reminders";
        return (long)cmd.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string dir)
    {
        var c = new SqliteConnection($"Data Source={Path.Combine(dir, SqliteStorageOptions.DefaultFileName)};Pooling=False");
        c.Open();
        return c;
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "gridgov-deadlines-bench", Guid.NewGuid().ToString("N"));

    private static TimeSpan CpuTime()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    private static double WorkingSetMb()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64 / 1048576.0;
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
