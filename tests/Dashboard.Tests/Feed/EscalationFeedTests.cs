using GridGov.Realtime.Dashboard.Feed;
using GridGov.Realtime.Dashboard.Hubs;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Responders;
using static GridGov.Realtime.Dashboard.Tests.Feed.FeedHarness;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

public sealed class EscalationFeedTests
{
    [Fact]
    public async Task AnEscalationReachesTheScopesOfItsRegionAndAncestorsButNotPeersOrBelow()
    {
        await using var h = new FeedHarness();
        h.Subscribe(City);
        h.Subscribe(DistrictA);
        h.Subscribe(DistrictB);
        h.Subscribe(GridA);

        var due = h.Now.AddMinutes(2);
        h.Feed.EscalationChanged(new EscalationUpdate("alert:w1:sos:1", "alert", "w1:sos:1", "sos", "SOS from worker w1", StreetA, StreetA,
            EscalationStatus.Pending, "sent", "r1", "r1", due, [StreetA, DistrictA, City], h.Now));
        h.Feed.AlertChanged(h.Alert("barrier", GridB));
        var sent = await h.Hub.UntilAsync(s => s.Message is AlertMessage { AlertId: "barrier" });

        var escalations = sent.Where(s => s.Method == nameof(ICommandCentreClient.Escalation)).ToList();
        Assert.Equal([FeedSubscriptions.GroupName(City), FeedSubscriptions.GroupName(DistrictA)], escalations.Select(s => s.Group).Order());
        Assert.All(escalations, s =>
        {
            var m = Assert.IsType<EscalationMessage>(s.Message);
            Assert.Equal(s.Group, FeedSubscriptions.GroupName(m.Scope));
            Assert.Equal(("alert:w1:sos:1", "Pending", "sent", "r1", due), (m.EscalationId, m.Status, m.Action, m.Responder, m.DueAt));
        });
    }
}
