using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Topics;

public class RetainedMessageStoreTests
{
    private static readonly byte[] s_payload = [1, 2, 3];
    private readonly FakeTimeProvider _time = new();

    private static string[] Topics(IEnumerable<RetainedMessage> messages) =>
        [.. messages.Select(m => m.Topic).Order(StringComparer.Ordinal)];

    [Fact]
    public void Set_replace_and_clear()
    {
        var store = new RetainedMessageStore(_time);
        Assert.Equal(RetainResult.Stored, store.Set("a/b", s_payload, MqttQualityOfService.AtLeastOnce));
        Assert.Equal(1, store.Count);
        Assert.Equal(3 + 3, store.TotalBytes); // payload + topic bytes

        Assert.Equal(RetainResult.Replaced, store.Set("a/b", new byte[] { 9 }, MqttQualityOfService.ExactlyOnce, properties: "props"));
        Assert.True(store.TryGet("a/b", out var got));
        Assert.Equal(new byte[] { 9 }, got.Payload.ToArray());
        Assert.Equal(MqttQualityOfService.ExactlyOnce, got.Qos);
        Assert.Equal("props", got.Properties);
        Assert.Equal(1, store.Count);
        Assert.Equal(1 + 3, store.TotalBytes);

        // §3.3.1.3: a zero-byte retained message clears and is not stored.
        Assert.Equal(RetainResult.Cleared, store.Set("a/b", ReadOnlyMemory<byte>.Empty));
        Assert.Equal(RetainResult.NothingToClear, store.Set("a/b", ReadOnlyMemory<byte>.Empty));
        Assert.False(store.TryGet("a/b", out _));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.TotalBytes);
        Assert.Equal(0, store.NodeCount);
    }

    [Theory]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("")]
    [InlineData("a\0")]
    public void Invalid_topics_are_refused(string topic) =>
        Assert.Equal(RetainResult.InvalidTopic, new RetainedMessageStore().Set(topic, s_payload));

    [Fact]
    public void Match_with_wildcards()
    {
        var store = new RetainedMessageStore(_time);
        string[] all =
        [
            "sport/tennis/player1", "sport/tennis/player1/ranking", "sport/tennis/player1/score/wimbledon",
            "sport/tennis/player2", "sport", "sport/", "/finance", "finance", "$SYS/broker/load", "$SYS",
            "a//b", "a/b",
        ];
        foreach (var t in all)
        {
            store.Set(t, s_payload);
        }

        Assert.Equal(["sport/tennis/player1", "sport/tennis/player1/ranking", "sport/tennis/player1/score/wimbledon"], Topics(store.Match("sport/tennis/player1/#")));
        Assert.Equal(["sport/tennis/player1", "sport/tennis/player2"], Topics(store.Match("sport/tennis/+")));
        Assert.Equal(["sport", "sport/", "sport/tennis/player1", "sport/tennis/player1/ranking", "sport/tennis/player1/score/wimbledon", "sport/tennis/player2"], Topics(store.Match("sport/#")));
        Assert.Equal(["/finance"], Topics(store.Match("+/+")).Where(t => t.Contains("finance", StringComparison.Ordinal)));
        Assert.Equal(["finance", "sport"], Topics(store.Match("+")));
        Assert.Equal(["a//b"], Topics(store.Match("a/+/b")));
        Assert.Equal(["a//b", "a/b"], Topics(store.Match("a/#")).Where(t => t.StartsWith('a')));
        Assert.Equal(["$SYS", "$SYS/broker/load"], Topics(store.Match("$SYS/#")));
        Assert.DoesNotContain(store.Match("#"), m => m.Topic.StartsWith('$'));
        Assert.Equal(all.Length - 2, store.Match("#").Count);
        Assert.Empty(store.Match("+/broker/load"));
        Assert.Single(store.Match("$SYS/+/load"));
        Assert.Empty(store.Match("nothing/#"));
    }

    [Fact]
    public void Expired_messages_are_not_returned_and_are_pruned()
    {
        var store = new RetainedMessageStore(_time);
        var now = _time.GetUtcNow();
        store.Set("e/short", s_payload, expiresAt: now.AddSeconds(10));
        store.Set("e/long", s_payload, expiresAt: now.AddSeconds(100));
        store.Set("e/never", s_payload);

        Assert.Equal(3, store.Match("e/#").Count);
        Assert.True(store.TryGet("e/short", out var m));
        Assert.Equal(10u, m.RemainingExpirySeconds(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(4.5));
        Assert.Equal(6u, m.RemainingExpirySeconds(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(["e/long", "e/never"], Topics(store.Match("e/+")));
        Assert.Equal(2, store.Count); // pruned on the way
        Assert.False(store.TryGet("e/short", out _));

        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.False(store.TryGet("e/long", out _));
        Assert.Equal(1, store.Count);

        store.Set("e/x", s_payload, expiresAt: _time.GetUtcNow().AddSeconds(1));
        store.Set("f/y", s_payload, expiresAt: _time.GetUtcNow().AddSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, store.PruneExpired());
        Assert.Equal(1, store.Count);
        Assert.Equal(["e/never"], Topics(store.Match("#")));

        store.Set("e/never", ReadOnlyMemory<byte>.Empty);
        Assert.Equal(0, store.NodeCount);
        Assert.Equal(0, store.TotalBytes);
    }

    [Fact]
    public void Count_cap_refuses_new_topics_but_allows_replacing_and_clearing()
    {
        var store = new RetainedMessageStore(_time, maxCount: 2);
        Assert.Equal(RetainResult.Stored, store.Set("a", s_payload));
        Assert.Equal(RetainResult.Stored, store.Set("b", s_payload));
        Assert.Equal(RetainResult.CountLimitReached, store.Set("c", s_payload));
        Assert.Equal(RetainResult.Replaced, store.Set("a", new byte[100]));
        Assert.Equal(RetainResult.Cleared, store.Set("b", ReadOnlyMemory<byte>.Empty));
        Assert.Equal(RetainResult.Stored, store.Set("c", s_payload));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Byte_cap_counts_growth_only()
    {
        var store = new RetainedMessageStore(_time, maxBytes: 20);
        Assert.Equal(RetainResult.Stored, store.Set("a", new byte[9]));       // 10
        Assert.Equal(RetainResult.Stored, store.Set("b", new byte[9]));       // 20
        Assert.Equal(RetainResult.ByteLimitReached, store.Set("c", new byte[1]));
        Assert.Equal(RetainResult.ByteLimitReached, store.Set("a", new byte[10])); // grows by 1
        Assert.Equal(RetainResult.Replaced, store.Set("a", new byte[4]));     // shrinks
        Assert.Equal(RetainResult.Stored, store.Set("c", new byte[4]));
        Assert.Equal(20, store.TotalBytes);
    }

    [Fact]
    public void A_full_store_makes_room_by_dropping_expired_messages()
    {
        var store = new RetainedMessageStore(_time, maxCount: 1);
        store.Set("old", s_payload, expiresAt: _time.GetUtcNow().AddSeconds(5));
        Assert.Equal(RetainResult.CountLimitReached, store.Set("new", s_payload));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RetainResult.Stored, store.Set("new", s_payload));
        Assert.Equal(["new"], Topics(store.Match("#")));
    }

    [Fact]
    public void Many_siblings_and_deep_topics_work_and_clean_up()
    {
        var store = new RetainedMessageStore(_time);
        for (var i = 0; i < 500; i++)
        {
            store.Set($"gridgov/v1/regions/R{i}/warning", s_payload);
        }

        var deep = string.Join('/', Enumerable.Repeat("d", 20_000));
        store.Set(deep, s_payload);

        Assert.Equal(500, store.Match("gridgov/v1/regions/+/warning").Count);
        Assert.Single(store.Match("gridgov/v1/regions/R42/#"));
        Assert.Equal(501, store.Match("#").Count);
        Assert.Single(store.Match("d/#"));

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(RetainResult.Cleared, store.Set($"gridgov/v1/regions/R{i}/warning", ReadOnlyMemory<byte>.Empty));
        }

        Assert.Equal(RetainResult.Cleared, store.Set(deep, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(0, store.NodeCount);
        Assert.Equal(0, store.Count);
    }
}
