using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Topics;

public class SharedSubscriptionTests
{
    private readonly SubscriptionTree _tree = new();
    private readonly MatchResults _results = new();

    private List<string> Deliver(string topic, int messages, Func<string, bool>? isOnline = null)
    {
        var picked = new List<string>();
        for (var i = 0; i < messages; i++)
        {
            _tree.Match(topic, _results, isOnline: isOnline);
            var shared = _results.AsSpan().ToArray().Where(m => m.IsShared).ToList();
            Assert.Single(shared); // exactly one member of the group per message (§4.8.2)
            picked.Add(shared[0].ClientId);
        }

        return picked;
    }

    [Fact]
    public void Each_message_goes_to_exactly_one_member_round_robin()
    {
        foreach (var c in new[] { "a", "b", "c" })
        {
            _tree.Subscribe(c, "$share/workers/jobs/+", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce, SubscriptionIdentifier: 5));
        }

        var picked = Deliver("jobs/1", 9);
        Assert.Equal(["a", "b", "c", "a", "b", "c", "a", "b", "c"], picked);

        _tree.Match("jobs/1", _results);
        var m = _results[0];
        Assert.Equal("workers", m.ShareName);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, m.Qos);
        Assert.Equal([5], _results.GetSubscriptionIdentifiers(m).ToArray());
    }

    [Fact]
    public void Offline_members_are_skipped_and_any_member_is_used_when_none_is_online()
    {
        foreach (var c in new[] { "a", "b", "c" })
        {
            _tree.Subscribe(c, "$share/g/t", default);
        }

        var online = new HashSet<string> { "a", "c" };
        var picked = Deliver("t", 6, online.Contains);
        Assert.DoesNotContain("b", picked);
        Assert.Contains("a", picked);
        Assert.Contains("c", picked);

        online.Clear();
        var fallback = Deliver("t", 3, online.Contains);
        Assert.Equal(3, fallback.Count); // still delivered (to be queued in the offline session)
    }

    [Fact]
    public void Groups_are_independent_and_separate_from_non_shared_subscriptions()
    {
        _tree.Subscribe("a", "$share/g1/t/#", default);
        _tree.Subscribe("b", "$share/g1/t/#", default);
        _tree.Subscribe("a", "$share/g2/t/+", default);
        _tree.Subscribe("a", "t/x", default);      // same client, non-shared: its own copy (§4.8.2)
        _tree.Subscribe("z", "$share/g1/t/x", default); // same ShareName, different filter: a different group

        _tree.Match("t/x", _results);
        var all = _results.AsSpan().ToArray();
        Assert.Equal(4, all.Length);
        Assert.Single(all, m => !m.IsShared && m.ClientId == "a");
        Assert.Single(all, m => m.ShareName == "g2");
        Assert.Equal(2, all.Count(m => m.ShareName == "g1"));
        Assert.Contains(all, m => m.ShareName == "g1" && m.ClientId == "z");
    }

    [Fact]
    public void Leaving_members_are_removed_and_empty_groups_disappear()
    {
        _tree.Subscribe("a", "$share/g/t", default);
        _tree.Subscribe("b", "$share/g/t", default);
        Assert.True(_tree.Unsubscribe("a", "$share/g/t"));
        Assert.Equal(["b", "b"], Deliver("t", 2));

        Assert.Equal(1, _tree.RemoveClient("b"));
        _tree.Match("t", _results);
        Assert.Equal(0, _results.Count);
        Assert.Equal(0, _tree.NodeCount);
    }

    [Fact]
    public void Shared_wildcard_filters_do_not_match_dollar_topics()
    {
        _tree.Subscribe("a", "$share/g/#", default);
        _tree.Match("$SYS/x", _results);
        Assert.Equal(0, _results.Count);
        _tree.Match("x", _results);
        Assert.Equal(1, _results.Count);
    }
}
