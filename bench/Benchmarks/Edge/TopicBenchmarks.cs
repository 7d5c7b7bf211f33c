using GridGov.Realtime.Edge.Packets;
using BenchmarkDotNet.Attributes;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Benchmarks.Edge;

/// <summary>
/// SubscriptionTree.Match on a tree shaped like production: 100k subscriptions.
/// 90,000 terminals on <c>gridgov/v1/terminals/{id}/tasks</c>, 9,990 operators on
/// <c>gridgov/v1/regions/{code}/warning</c>, and integration subscriptions: an archiver on
/// <c>gridgov/v1/#</c>, a warning bridge on <c>gridgov/v1/regions/+/warning</c>, an alarm
/// collector on <c>gridgov/v1/+/+/alarm</c>, a shared worker group on
/// <c>$share/dispatch/gridgov/v1/terminals/+/ack</c> and a few unrelated ones.
/// </summary>
[MemoryDiagnoser]
public class TopicBenchmarks
{
    private readonly SubscriptionTree _tree = new();
    private readonly MatchResults _results = new();
    private readonly Func<string, bool> _isOnline = static _ => true;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < 90_000; i++)
        {
            _tree.Subscribe($"term-{i:D6}", $"gridgov/v1/terminals/T{i:D6}/tasks", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce));
        }

        for (var i = 0; i < 9_990; i++)
        {
            _tree.Subscribe($"ops-{i:D4}", $"gridgov/v1/regions/R{i:D4}/warning", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce, SubscriptionIdentifier: 1));
        }

        _tree.Subscribe("archiver", "gridgov/v1/#", default);
        _tree.Subscribe("warning-bridge", "gridgov/v1/regions/+/warning", new SubscriptionOptions(MqttQualityOfService.ExactlyOnce, SubscriptionIdentifier: 7));
        _tree.Subscribe("alarm-collector", "gridgov/v1/+/+/alarm", default);
        _tree.Subscribe("legacy", "gridgov/v0/#", default);
        _tree.Subscribe("sys-monitor", "$SYS/#", default);
        for (var i = 0; i < 5; i++)
        {
            _tree.Subscribe($"dispatcher-{i}", "$share/dispatch/gridgov/v1/terminals/+/ack", default);
        }

        if (_tree.SubscriptionCount != 100_000)
        {
            throw new InvalidOperationException($"expected 100000 subscriptions, got {_tree.SubscriptionCount}");
        }

        Check(OneSubscriberTopic, 1);
        Check(ThreeSubscribersTopic, 3);
        Check(TerminalTasksTopic, 2);
        Check(SharedTopic, 2);
    }

    // Only the archiver (gridgov/v1/#), though the walk goes through the 90k-wide terminals level.
    private const string OneSubscriberTopic = "gridgov/v1/terminals/T012345/status";

    // ops-0042, warning-bridge (+) and archiver (#).
    private const string ThreeSubscribersTopic = "gridgov/v1/regions/R0042/warning";

    // term-012345 and the archiver.
    private const string TerminalTasksTopic = "gridgov/v1/terminals/T012345/tasks";

    // One dispatcher picked round-robin from the shared group, plus the archiver.
    private const string SharedTopic = "gridgov/v1/terminals/T012345/ack";

    [Benchmark(Baseline = true)]
    public int Match_1Subscriber()
    {
        _tree.Match(OneSubscriberTopic, _results);
        return _results.Count;
    }

    [Benchmark]
    public int Match_3Subscribers()
    {
        _tree.Match(ThreeSubscribersTopic, _results);
        return _results.Count;
    }

    [Benchmark]
    public int Match_TerminalTasks_2Subscribers()
    {
        _tree.Match(TerminalTasksTopic, _results, publisherClientId: "core");
        return _results.Count;
    }

    [Benchmark]
    public int Match_SharedGroup_RoundRobin()
    {
        _tree.Match(SharedTopic, _results, isOnline: _isOnline);
        return _results.Count;
    }

    private void Check(string topic, int expected)
    {
        _tree.Match(topic, _results);
        if (_results.Count != expected)
        {
            throw new InvalidOperationException($"{topic}: expected {expected} subscribers, got {_results.Count}");
        }
    }
}
