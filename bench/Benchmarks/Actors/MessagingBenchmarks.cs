using BenchmarkDotNet.Attributes;
using GridGov.Realtime.Actors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GridGov.Realtime.Benchmarks.Actors;

/// <summary>
/// Issue 2 figures: one-way messages through proxies to 100k distinct activations (target ≥ 3M/s)
/// and request/response calls (target ≥ 1M/s), on this machine's two cores, senders included.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MessagingBenchmarks
{
    private const int Activations = 100_000;
    private const int OneWayMessages = 2_000_000;
    private const int Calls = 500_000;
    private const int Callers = 512;

    private IHost _host = null!;
    private IBenchGrain[] _grains = null!;
    private Countdown _countdown = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = BenchHost.StartAsync().GetAwaiter().GetResult();
        _countdown = _host.Services.GetRequiredService<Countdown>();
        _grains = Enumerable.Range(0, Activations).Select(i => _host.Grains().GetGrain<IBenchGrain>($"worker-{i}")).ToArray();
        // Activate everything first: the figure is steady-state messaging, not activation.
        Task.WhenAll(_grains.Select(g => g.Ping(0))).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
    }

    [Benchmark(OperationsPerInvoke = OneWayMessages)]
    public async Task OneWayTo100kActivations()
    {
        var done = _countdown.Reset(OneWayMessages);
        var senders = Environment.ProcessorCount;
        var perSender = OneWayMessages / senders;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            var grains = _grains;
            for (var i = 0; i < perSender; i++) _ = grains[(i * senders + s) % grains.Length].Tick();
        })));
        await done;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task RequestResponse()
    {
        const int perCaller = Calls / Callers;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            var grains = _grains;
            var sum = 0;
            for (var i = 0; i < perCaller; i++) sum += await grains[(c * perCaller + i) % grains.Length].Ping(i);
            return sum;
        })));
    }
}
