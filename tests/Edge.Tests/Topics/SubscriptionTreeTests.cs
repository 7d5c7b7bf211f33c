using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Topics;

public class SubscriptionTreeTests
{
    private readonly SubscriptionTree _tree = new();
    private readonly MatchResults _results = new();

    private SubscriberMatch Single(string topic, string? publisher = null)
    {
        _tree.Match(topic, _results, publisher);
        Assert.Equal(1, _results.Count);
        return _results[0];
    }

    [Fact]
    public void Overlapping_subscriptions_of_one_client_merge_to_max_qos_and_all_identifiers()
    {
        _tree.Subscribe("c", "a/+", new SubscriptionOptions(MqttQualityOfService.AtMostOnce, SubscriptionIdentifier: 1));
        _tree.Subscribe("c", "a/#", new SubscriptionOptions(MqttQualityOfService.ExactlyOnce, SubscriptionIdentifier: 2));
        _tree.Subscribe("c", "a/b", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce, SubscriptionIdentifier: 3));
        _tree.Subscribe("c", "#", new SubscriptionOptions(MqttQualityOfService.AtMostOnce)); // no identifier

        var match = Single("a/b");
        Assert.Equal("c", match.ClientId);
        Assert.Equal(MqttQualityOfService.ExactlyOnce, match.Qos); // 5.0 §3.3.4
        Assert.Equal([1, 2, 3], _results.GetSubscriptionIdentifiers(match).ToArray().Order());
        Assert.False(match.IsShared);
    }

    [Fact]
    public void Multiple_clients_each_get_one_entry_with_their_own_identifiers()
    {
        _tree.Subscribe("c1", "x/+", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce, SubscriptionIdentifier: 10));
        _tree.Subscribe("c2", "x/#", new SubscriptionOptions(MqttQualityOfService.AtMostOnce, SubscriptionIdentifier: 20));
        _tree.Subscribe("c1", "x/y", new SubscriptionOptions(MqttQualityOfService.AtMostOnce, SubscriptionIdentifier: 11));
        _tree.Subscribe("c3", "x/y", default);
        _tree.Subscribe("c2", "x/y", new SubscriptionOptions(MqttQualityOfService.ExactlyOnce, SubscriptionIdentifier: 21));

        _tree.Match("x/y", _results);
        var byClient = _results.AsSpan().ToArray().ToDictionary(m => m.ClientId);
        Assert.Equal(3, byClient.Count);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, byClient["c1"].Qos);
        Assert.Equal(MqttQualityOfService.ExactlyOnce, byClient["c2"].Qos);
        Assert.Equal(MqttQualityOfService.AtMostOnce, byClient["c3"].Qos);
        Assert.Equal([10, 11], _results.GetSubscriptionIdentifiers(byClient["c1"]).ToArray().Order());
        Assert.Equal([20, 21], _results.GetSubscriptionIdentifiers(byClient["c2"]).ToArray().Order());
        Assert.True(_results.GetSubscriptionIdentifiers(byClient["c3"]).IsEmpty);
    }

    [Fact]
    public void Large_fan_out_still_merges_per_client()
    {
        for (var i = 0; i < 50; i++)
        {
            _tree.Subscribe("c" + i, "big/+", new SubscriptionOptions(SubscriptionIdentifier: 1000 + i));
            _tree.Subscribe("c" + i, "big/#", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce, SubscriptionIdentifier: 2000 + i));
        }

        _tree.Match("big/t", _results);
        Assert.Equal(50, _results.Count);
        foreach (var m in _results.AsSpan())
        {
            var i = int.Parse(m.ClientId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(MqttQualityOfService.AtLeastOnce, m.Qos);
            Assert.Equal([1000 + i, 2000 + i], _results.GetSubscriptionIdentifiers(m).ToArray().Order());
        }
    }

    [Fact]
    public void No_local_skips_the_publisher_only_when_every_matching_subscription_says_so()
    {
        _tree.Subscribe("c", "n/+", new SubscriptionOptions(NoLocal: true));
        _tree.Subscribe("other", "n/+", default);

        _tree.Match("n/x", _results, publisherClientId: "c");
        Assert.Equal(["other"], _results.AsSpan().ToArray().Select(m => m.ClientId));

        // Without a publisher id the entry is delivered but flagged for the caller.
        _tree.Match("n/x", _results);
        Assert.True(_results.AsSpan().ToArray().Single(m => m.ClientId == "c").NoLocal);

        // A second, overlapping subscription without NoLocal still delivers to the publisher.
        _tree.Subscribe("c", "n/#", new SubscriptionOptions(RetainAsPublished: true));
        var own = Single2("n/x", "c");
        Assert.False(own.NoLocal);
        Assert.True(own.RetainAsPublished);
    }

    private SubscriberMatch Single2(string topic, string client)
    {
        _tree.Match(topic, _results, publisherClientId: client);
        return _results.AsSpan().ToArray().Single(m => m.ClientId == client);
    }

    [Fact]
    public void Retain_as_published_is_carried_and_ored_across_overlaps()
    {
        _tree.Subscribe("c", "r/+", new SubscriptionOptions(RetainAsPublished: false));
        Assert.False(Single("r/1").RetainAsPublished);
        _tree.Subscribe("c", "r/#", new SubscriptionOptions(RetainAsPublished: true));
        Assert.True(Single("r/1").RetainAsPublished);
    }

    [Fact]
    public void Subscribe_reports_created_then_replaced_and_replacement_changes_options()
    {
        Assert.Equal(SubscribeResult.Created, _tree.Subscribe("c", "a/b", new SubscriptionOptions(MqttQualityOfService.AtMostOnce, SubscriptionIdentifier: 1)));
        Assert.Equal(SubscribeResult.Replaced, _tree.Subscribe("c", "a/b", new SubscriptionOptions(MqttQualityOfService.ExactlyOnce, SubscriptionIdentifier: 2)));
        Assert.Equal(SubscribeResult.Created, _tree.Subscribe("d", "a/b", default));
        Assert.Equal(SubscribeResult.Created, _tree.Subscribe("c", "$share/g/a/b", default));
        Assert.Equal(SubscribeResult.Replaced, _tree.Subscribe("c", "$share/g/a/b", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce)));
        Assert.Equal(SubscribeResult.Created, _tree.Subscribe("c", "$share/h/a/b", default));
        Assert.Equal(4, _tree.SubscriptionCount); // c and d on a/b, c in groups g and h

        _tree.Match("a/b", _results);
        var direct = _results.AsSpan().ToArray().Single(m => m.ClientId == "c" && !m.IsShared);
        Assert.Equal(MqttQualityOfService.ExactlyOnce, direct.Qos);
        Assert.Equal([2], _results.GetSubscriptionIdentifiers(direct).ToArray());
    }

    [Theory]
    [InlineData("a/#/b", SubscribeResult.InvalidFilter)]
    [InlineData("", SubscribeResult.InvalidFilter)]
    [InlineData("a+", SubscribeResult.InvalidFilter)]
    [InlineData("$share//a", SubscribeResult.InvalidFilter)]
    [InlineData("$share/g", SubscribeResult.InvalidFilter)]
    public void Invalid_filters_are_refused_without_side_effects(string filter, SubscribeResult expected)
    {
        Assert.Equal(expected, _tree.Subscribe("c", filter, default));
        Assert.Equal(0, _tree.NodeCount);
        Assert.Equal(0, _tree.ClientCount);
    }

    [Fact]
    public void Protocol_errors_and_limits_are_refused()
    {
        Assert.Equal(SubscribeResult.NoLocalOnSharedSubscription, _tree.Subscribe("c", "$share/g/a", new SubscriptionOptions(NoLocal: true)));
        Assert.Equal(SubscribeResult.InvalidSubscriptionIdentifier, _tree.Subscribe("c", "a", new SubscriptionOptions(SubscriptionIdentifier: -1)));
        Assert.Equal(SubscribeResult.InvalidSubscriptionIdentifier, _tree.Subscribe("c", "a", new SubscriptionOptions(SubscriptionIdentifier: 268_435_456)));
        Assert.Equal(SubscribeResult.Created, _tree.Subscribe("c", "a", new SubscriptionOptions(SubscriptionIdentifier: 268_435_455)));

        var shallow = new SubscriptionTree(maxFilterLevels: 2);
        Assert.Equal(SubscribeResult.TooManyLevels, shallow.Subscribe("c", "a/b/c", default));
        Assert.Equal(SubscribeResult.Created, shallow.Subscribe("c", "a/b", default));
        Assert.Equal(1, _tree.SubscriptionCount);
    }

    [Fact]
    public void Unsubscribe_removes_only_that_subscription_and_prunes_nodes()
    {
        _tree.Subscribe("c", "a/b/c", default);
        _tree.Subscribe("c", "a/+/c", default);
        _tree.Subscribe("c", "a/#", default);
        _tree.Subscribe("d", "a/b/c", default);
        _tree.Subscribe("d", "$share/g/a/b/c", default);
        var before = _tree.NodeCount;

        Assert.True(_tree.Unsubscribe("c", "a/b/c"));
        Assert.False(_tree.Unsubscribe("c", "a/b/c")); // UNSUBACK 0x11: no subscription existed
        Assert.False(_tree.Unsubscribe("nobody", "a/b/c"));
        Assert.False(_tree.Unsubscribe("c", "a/#/x")); // invalid filter is never subscribed
        Assert.Equal(before, _tree.NodeCount); // "a/b/c" still used by d

        Assert.True(_tree.Unsubscribe("d", "a/b/c"));
        Assert.True(_tree.Unsubscribe("d", "$share/g/a/b/c"));
        Assert.True(_tree.Unsubscribe("c", "a/+/c"));
        Assert.True(_tree.Unsubscribe("c", "a/#"));

        Assert.Equal(0, _tree.NodeCount);
        Assert.Equal(0, _tree.SubscriptionCount);
        Assert.Equal(0, _tree.ClientCount);
        _tree.Match("a/b/c", _results);
        Assert.Equal(0, _results.Count);
    }

    [Fact]
    public void Remove_client_removes_everything_it_had_and_nothing_else()
    {
        _tree.Subscribe("c", "x/y", default);
        _tree.Subscribe("c", "x/+", default);
        _tree.Subscribe("c", "#", default);
        _tree.Subscribe("c", "$share/g/x/#", default);
        _tree.Subscribe("keep", "x/y", default);

        Assert.Equal(4, _tree.RemoveClient("c"));
        Assert.Equal(0, _tree.RemoveClient("c"));
        Assert.Equal(1, _tree.SubscriptionCount);
        Assert.Equal(["x/y"], _tree.GetFilters("keep"));
        Assert.Empty(_tree.GetFilters("c"));
        Assert.Equal("keep", Single("x/y").ClientId);

        Assert.Equal(1, _tree.RemoveClient("keep"));
        Assert.Equal(0, _tree.NodeCount);
    }

    [Fact]
    public void Many_children_on_one_level_promote_the_level_map_and_still_prune_to_zero()
    {
        for (var i = 0; i < 1000; i++)
        {
            _tree.Subscribe("t" + i, $"gridgov/v1/terminals/T{i}/tasks", new SubscriptionOptions(SubscriptionIdentifier: i + 1));
        }

        Assert.Equal(3 + 2000, _tree.NodeCount);
        for (var i = 0; i < 1000; i += 97)
        {
            var m = Single($"gridgov/v1/terminals/T{i}/tasks");
            Assert.Equal("t" + i, m.ClientId);
            Assert.Equal([i + 1], _results.GetSubscriptionIdentifiers(m).ToArray());
        }

        _tree.Match("gridgov/v1/terminals/T1000/tasks", _results);
        Assert.Equal(0, _results.Count);

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(1, _tree.RemoveClient("t" + i));
        }

        Assert.Equal(0, _tree.NodeCount);
    }

    [Fact]
    public void Match_accepts_a_slice_of_a_larger_buffer()
    {
        _tree.Subscribe("c", "a/+", default);
        var buffer = "xxa/bxx".AsSpan(2, 3);
        _tree.Match(buffer, _results);
        Assert.Equal(1, _results.Count);
    }

    [Fact]
    public void Match_does_not_allocate_in_steady_state()
    {
        _tree.Subscribe("c1", "gridgov/v1/regions/+/warning", new SubscriptionOptions(SubscriptionIdentifier: 7));
        _tree.Subscribe("c2", "gridgov/v1/#", default);
        _tree.Subscribe("c3", "gridgov/v1/regions/R1/warning", default);
        _tree.Subscribe("c1", "gridgov/v1/regions/R1/#", new SubscriptionOptions(SubscriptionIdentifier: 8));
        _tree.Subscribe("s1", "$share/g/gridgov/v1/regions/+/warning", default);
        _tree.Subscribe("s2", "$share/g/gridgov/v1/regions/+/warning", default);
        Func<string, bool> online = id => id != "s1";
        const string topic = "gridgov/v1/regions/R1/warning";

        // Steady state: tiered JIT may recompile Match during the first thousands of calls, and that
        // runtime work can be charged to this thread, so take the best of a few rounds after warm-up.
        for (var i = 0; i < 5000; i++) _tree.Match(topic, _results, "c3", online);
        var fewest = long.MaxValue;
        for (var round = 0; round < 5 && fewest > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++) _tree.Match(topic, _results, "c3", online);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
        Assert.Equal(4, _results.Count);
    }
}
