using System.Text;
using GridGov.Realtime.Silo.Edge;

namespace GridGov.Realtime.Silo.Tests.Responders;

public sealed class ResponderAckUplinkTests
{
    [Theory]
    [InlineData("gridgov/v1/responders/r1/ack", true, "r1")]
    [InlineData("gridgov/v1/responders/r1/escalations", false, "")]
    [InlineData("gridgov/v1/responders//ack", false, "")]
    [InlineData("gridgov/v1/responders/a/b/ack", false, "")]
    [InlineData("gridgov/v1/terminals/r1/ack", false, "")]
    public void OnlyAResponderAckTopicIsHandled(string topic, bool handled, string userId)
    {
        Assert.Equal(handled, ResponderAckUplinkHandler.TryParse(topic, out var parsed));
        Assert.Equal(userId, parsed);
    }

    [Theory]
    [InlineData("""{"escalationId":"alert:w1:sos:1"}""", "alert:w1:sos:1")]
    [InlineData("""{"device":"phone-7","escalationId":"case:C-1","at":1}""", "case:C-1")]
    [InlineData("""{"escalationId":{"nested":1},"x":[1,2]}""", null)]
    [InlineData("""{"escalationId":""}""", null)]
    [InlineData("""["alert:w1:sos:1"]""", null)]
    [InlineData("""{"escalationId":"a""", null)]
    [InlineData("", null)]
    public void TheAckPayloadIsAnObjectWithAnEscalationId(string payload, string? expected)
    {
        var ok = ResponderAckUplinkHandler.TryReadEscalationId(Encoding.UTF8.GetBytes(payload), out var id, out var error);
        Assert.Equal(expected is not null, ok);
        if (expected is not null) Assert.Equal(expected, id);
        else Assert.NotEmpty(error);
    }
}
