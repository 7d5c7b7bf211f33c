using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Topics;

/// <summary>
/// The wildcard matrix (spec §4.7.1.2, §4.7.1.3, §4.7.2 and edge cases), checked against all three
/// implementations: <see cref="TopicMatcher"/>, <see cref="SubscriptionTree"/> and <see cref="RetainedMessageStore"/>.
/// </summary>
public class TopicMatchingTests
{
    public static TheoryData<string, string, bool> Matrix => new()
    {
        // §4.7.1.2 multi-level wildcard
        { "sport/tennis/player1/#", "sport/tennis/player1", true },
        { "sport/tennis/player1/#", "sport/tennis/player1/ranking", true },
        { "sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true },
        { "sport/tennis/player1/#", "sport/tennis/player2", false },
        { "sport/tennis/player1/#", "sport/tennis", false },
        { "sport/#", "sport", true },
        { "sport/#", "sport/", true },
        { "sport/#", "sports", false },
        { "#", "sport/tennis/player1", true },
        { "#", "/", true },
        { "#", "a", true },
        { "#", "/finance", true },

        // §4.7.1.3 single-level wildcard
        { "sport/tennis/+", "sport/tennis/player1", true },
        { "sport/tennis/+", "sport/tennis/player2", true },
        { "sport/tennis/+", "sport/tennis/player1/ranking", false },
        { "sport/+", "sport", false },
        { "sport/+", "sport/", true },
        { "+", "sport", true },
        { "+", "/", false },
        { "+/+", "/finance", true },
        { "/+", "/finance", true },
        { "+", "/finance", false },
        { "+/tennis/#", "sport/tennis", true },
        { "+/tennis/#", "sport/tennis/player1/x", true },
        { "sport/+/player1", "sport/tennis/player1", true },
        { "sport/+/player1", "sport//player1", true },
        { "+/+/+", "a//c", true },
        { "+/+", "a/b/c", false },
        { "+", "", false },

        // empty levels are real levels
        { "a//b", "a//b", true },
        { "a//b", "a/b", false },
        { "a/+/b", "a//b", true },
        { "/", "/", true },
        { "+/+", "/", true },
        { "+", "a/", false },
        { "a/+", "a/", true },
        { "a/", "a", false },
        { "a", "a/", false },
        { "/a", "a", false },

        // §4.7.2 topics beginning with $
        { "#", "$SYS/x", false },
        { "#", "$SYS", false },
        { "+/monitor/Clients", "$SYS/monitor/Clients", false },
        { "+", "$SYS", false },
        { "+/#", "$SYS/x", false },
        { "$SYS/#", "$SYS/x", true },
        { "$SYS/#", "$SYS", true },
        { "$SYS/monitor/+", "$SYS/monitor/Clients", true },
        { "$SYS/+/Clients", "$SYS/monitor/Clients", true },
        { "a/#", "a/$SYS", true },
        { "a/+", "a/$x", true },
        { "#", "a$", true },

        // exact matching is case- and char-exact (§4.7.3, no normalization)
        { "ACCOUNTS", "Accounts", false },
        { "Accounts payable", "Accounts payable", true },
        { "gridgov/v1/terminals/+/tasks", "gridgov/v1/terminals/T1/tasks", true },
        { "gridgov/v1/#", "gridgov/v1/regions/R1/warning", true },
        { "gridgov/v1/regions/+/warning", "gridgov/v1/regions/R1/alarm", false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Topic_matcher(string filter, string topic, bool expected)
    {
        Assert.True(topic.Length == 0 || TopicValidator.ValidateTopicName(topic).IsValid);
        Assert.True(TopicValidator.ValidateTopicFilter(filter).IsValid);
        Assert.Equal(expected, TopicMatcher.IsMatch(filter, topic));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Subscription_tree(string filter, string topic, bool expected)
    {
        var tree = new SubscriptionTree();
        Assert.Equal(SubscribeResult.Created, tree.Subscribe("c", filter, new SubscriptionOptions(MqttQualityOfService.AtLeastOnce)));
        var results = new MatchResults();
        tree.Match(topic, results);
        Assert.Equal(expected ? 1 : 0, results.Count);

        // The same filter as a shared subscription matches exactly the same topics.
        var shared = new SubscriptionTree();
        shared.Subscribe("c", "$share/g/" + filter, default);
        shared.Match(topic, results);
        Assert.Equal(expected ? 1 : 0, results.Count);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Retained_store(string filter, string topic, bool expected)
    {
        if (topic.Length == 0)
        {
            return; // not a valid topic name, cannot be retained
        }

        var store = new RetainedMessageStore();
        Assert.Equal(RetainResult.Stored, store.Set(topic, new byte[] { 1 }));
        var found = store.Match(filter);
        Assert.Equal(expected ? 1 : 0, found.Count);
    }

    /// <summary>
    /// Every filter over a small alphabet against every topic over it: the trie and the retained
    /// store, each holding all filters / topics at once, must agree with the pairwise matcher.
    /// </summary>
    [Fact]
    public void Exhaustive_cross_check_against_reference_matcher()
    {
        string[] topicLevels = ["a", "b", "", "$s"];
        string[] filterLevels = ["a", "b", "", "$s", "+", "#"];
        var topics = Combine(topicLevels, 3).Where(t => t.Length > 0).ToList();
        var filters = Combine(filterLevels, 3).Where(f => f.Length > 0 && TopicValidator.ValidateTopicFilter(f).IsValid).ToList();
        Assert.Equal(5 + 30 + 150, filters.Count); // single empty level is not a filter

        var tree = new SubscriptionTree();
        for (var i = 0; i < filters.Count; i++)
        {
            tree.Subscribe("c" + i, filters[i], new SubscriptionOptions(SubscriptionIdentifier: i + 1));
        }

        var store = new RetainedMessageStore();
        foreach (var topic in topics)
        {
            store.Set(topic, new byte[] { 1 });
        }

        var results = new MatchResults();
        foreach (var topic in topics)
        {
            tree.Match(topic, results);
            var actual = results.AsSpan().ToArray().Select(m => m.ClientId).Order(StringComparer.Ordinal);
            var expected = filters.Select((f, i) => (f, i)).Where(x => TopicMatcher.IsMatch(x.f, topic)).Select(x => "c" + x.i).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }

        foreach (var filter in filters)
        {
            var actual = store.Match(filter).Select(m => m.Topic).Order(StringComparer.Ordinal);
            var expected = topics.Where(t => TopicMatcher.IsMatch(filter, t)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }

        for (var i = 0; i < filters.Count; i++)
        {
            Assert.True(tree.Unsubscribe("c" + i, filters[i]));
        }

        Assert.Equal(0, tree.NodeCount);
        Assert.Equal(0, tree.SubscriptionCount);
    }

    private static IEnumerable<string> Combine(string[] levels, int maxDepth)
    {
        IEnumerable<string> current = levels;
        var all = new List<string>(levels);
        for (var depth = 2; depth <= maxDepth; depth++)
        {
            current = current.SelectMany(prefix => levels.Select(l => prefix + "/" + l)).ToList();
            all.AddRange(current);
        }

        return all.Distinct(StringComparer.Ordinal);
    }
}
