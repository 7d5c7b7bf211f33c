using GridGov.Realtime.Dashboard.Feed;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

public sealed class FeedSubscriptionsTests
{
    [Fact]
    public void SubscribingTwiceOnOneConnectionCountsOnce()
    {
        var subs = new FeedSubscriptions();
        Assert.True(subs.Add("c1", "310104"));
        Assert.False(subs.Add("c1", "310104"));
        Assert.True(subs.Add("c2", "310104"));
        Assert.Equal((2, 2), (subs.SubscriberCount("310104"), subs.Total));
    }

    [Fact]
    public void UnsubscribingTheLastConnectionLeavesTheScopeUnwatched()
    {
        var subs = new FeedSubscriptions();
        subs.Add("c1", "310104");
        Assert.False(subs.Remove("c2", "310104"));
        Assert.True(subs.Remove("c1", "310104"));
        Assert.False(subs.HasSubscribers("310104"));
        Assert.Equal(0, subs.Total);
    }

    [Fact]
    public void ADisconnectForgetsEverySubscriptionOfThatConnection()
    {
        var subs = new FeedSubscriptions();
        subs.Add("c1", "310104");
        subs.Add("c1", "310105");
        subs.Add("c2", "310105");

        subs.RemoveConnection("c1");
        subs.RemoveConnection("c1");

        Assert.False(subs.HasSubscribers("310104"));
        Assert.Equal(1, subs.SubscriberCount("310105"));
        Assert.Equal(1, subs.Total);
    }
}
