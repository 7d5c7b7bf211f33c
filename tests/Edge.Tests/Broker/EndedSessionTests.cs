using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Sessions;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// A session that ended (clean-start take-over, expiry) may still be reached by its old connection finishing a packet.
/// Its rows are already deleted from the store, so it must write nothing more: a row written after the delete would
/// outlive it and be restored into the next session of the same client id after a restart.
/// </summary>
public sealed class EndedSessionTests
{
    [Fact]
    public async Task AnEndedPersistentSessionNeitherStoresQoS2IdsNorQueuesMessages()
    {
        var store = new RecordingStateStore();
        var session = new MqttSession("t-9", new EdgeOptions(), new EdgeMetrics(null), new FakeTimeProvider(), store) { ExpirySeconds = 300 };
        Assert.True(session.Persistent);

        session.Clear();

        var durable = default(DurableWrites);
        Assert.True(session.BeginInboundQos2(7, ref durable));
        var message = new MqttApplicationMessage { Topic = "rig/alarms", TopicUtf8 = "rig/alarms"u8.ToArray(), Payload = "x"u8.ToArray(), QoS = MqttQualityOfService.AtLeastOnce };
        Assert.False(session.Deliver(message, MqttQualityOfService.AtLeastOnce, retain: false, subscriptionIds: null));
        Assert.Equal(0, store.InboundQos2Writes);
        Assert.Equal(0, store.MessageWrites);
        Assert.Empty((await store.LoadAsync(TestContext.Current.CancellationToken)).Sessions);
    }
}
