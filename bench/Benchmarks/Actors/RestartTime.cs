using System.Diagnostics;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Actors.Storage;
using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GridGov.Realtime.Benchmarks.Actors;

/// <summary>
/// Issue 2 figure: a restart with 100k persisted grains and 100k pending reminders is ready in ≤ 5 s.
/// Seeds a SQLite file through the real storage and reminder providers, stops, then times a fresh
/// host from build to started (migrations checked, reminders loaded and armed) and to the first
/// answered call on a persisted grain.
/// Run: dotnet run -c Release --project bench/Benchmarks -- restart [grains] [reminders]
/// </summary>
internal static class RestartTime
{
    public static async Task RunAsync(int grains, int reminders)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gridgov-restart-bench", Guid.NewGuid().ToString("N"));
        try
        {
            await SeedAsync(dir, grains, reminders);
            var sizeMb = new FileInfo(Path.Combine(dir, SqliteStorageOptions.DefaultFileName)).Length / 1048576.0;
            var sw = Stopwatch.StartNew();
            using var host = await BenchHost.StartAsync(r => r.UseSqliteStorage(configure: o => o.DataDirectory = dir));
            var ready = sw.Elapsed;
            var value = await host.Grains().GetGrain<IBenchGrain>($"worker-{grains / 2:D7}").Ping(1);
            var firstCall = sw.Elapsed;
            var loaded = host.Services.GetRequiredService<GridGov.Realtime.Actors.Runtime.ActorRuntime>().Reminders.Count;
            Console.WriteLine($"database: {grains:N0} grain states, {reminders:N0} reminders, {sizeMb:N1} MiB");
            Console.WriteLine($"restart ready (host started, {loaded:N0} reminders loaded and armed): {ready.TotalMilliseconds:N0} ms");
            Console.WriteLine($"first call on a persisted grain answered ({value}): {firstCall.TotalMilliseconds:N0} ms");
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task SeedAsync(string dir, int grains, int reminders)
    {
        using var host = await BenchHost.StartAsync(r => r.UseSqliteStorage(configure: o => o.DataDirectory = dir));
        var storage = host.Services.GetRequiredService<IGrainStorage>();
        var table = host.Services.GetRequiredService<IReminderTable>();
        var payload = """{"Count":3,"Grid":"31010400100101"}"""u8.ToArray();
        var due = DateTimeOffset.UtcNow.AddDays(1);
        const int window = 5_000;
        for (var start = 0; start < Math.Max(grains, reminders); start += window)
        {
            var writes = new List<Task>(window * 2);
            for (var i = start; i < start + window; i++)
            {
                var id = new GrainId("bench", $"worker-{i:D7}");
                if (i < grains) writes.Add(storage.WriteAsync(id, "bench", payload, null));
                if (i < reminders) writes.Add(table.UpsertAsync(new ReminderRow(id, "deadline", due.AddSeconds(i % 86_400), null)));
            }
            await Task.WhenAll(writes);
        }
        await host.StopAsync();
    }
}
