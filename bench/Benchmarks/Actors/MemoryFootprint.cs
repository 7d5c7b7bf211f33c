using System.Diagnostics;
using GridGov.Realtime.Actors;

namespace GridGov.Realtime.Benchmarks.Actors;

/// <summary>
/// Issue 2 figure: 1M idle activations with small state held in ≤ 2 GB. Activates N grains (each
/// constructed with an IPersistentState&lt;BenchState&gt; read from storage and touched once), then
/// reports the managed heap after a full collection and the process working set.
/// Run: dotnet run -c Release --project bench/Benchmarks -- memory [count]
/// </summary>
internal static class MemoryFootprint
{
    public static async Task RunAsync(int count)
    {
        var baselineHeap = GC.GetTotalMemory(forceFullCollection: true);
        using var host = await BenchHost.StartAsync();
        var grains = host.Grains();
        var sw = Stopwatch.StartNew();
        const int window = 20_000;
        for (var start = 0; start < count; start += window)
        {
            var batch = Enumerable.Range(start, Math.Min(window, count - start)).Select(i => grains.GetGrain<IBenchGrain>($"worker-{i:D7}").Touch());
            await Task.WhenAll(batch);
        }
        var activateSeconds = sw.Elapsed.TotalSeconds;
        var heap = GC.GetTotalMemory(forceFullCollection: true) - baselineHeap;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var runtime = host.Services.GetService(typeof(GridGov.Realtime.Actors.Runtime.ActorRuntime)) as GridGov.Realtime.Actors.Runtime.ActorRuntime;
        Console.WriteLine($"activations: {runtime?.ActivationCount:N0} (asked {count:N0}), activated in {activateSeconds:F1} s ({count / activateSeconds:N0}/s)");
        Console.WriteLine($"managed heap for them: {heap / 1048576.0:N0} MiB ({(double)heap / count:N0} B per activation)");
        Console.WriteLine($"process working set: {process.WorkingSet64 / 1048576.0:N0} MiB");
        await host.StopAsync();
    }
}
