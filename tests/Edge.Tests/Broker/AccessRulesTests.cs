using GridGov.Realtime.Edge.Security;

namespace GridGov.Realtime.Edge.Tests.Broker;

public sealed class AccessRulesTests
{
    [Theory]
    [InlineData("gridgov/v1/terminals/t-1/#", "gridgov/v1/terminals/t-1/position", true)]
    [InlineData("gridgov/v1/terminals/t-1/#", "gridgov/v1/terminals/t-1", true)]
    [InlineData("gridgov/v1/terminals/t-1/#", "gridgov/v1/terminals/+/position", false)]
    [InlineData("gridgov/v1/terminals/t-1/tasks", "gridgov/v1/terminals/t-1/#", false)]
    [InlineData("gridgov/v1/regions/+/warning", "gridgov/v1/regions/3205/warning", true)]
    [InlineData("gridgov/v1/regions/+/warning", "gridgov/v1/regions/#", false)]
    [InlineData("#", "gridgov/v1/#", true)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("a/b", "a/b/c", false)]
    public void CoversOnlyFiltersWhoseEveryTopicIsAllowed(string allowed, string filter, bool expected) =>
        Assert.Equal(expected, MqttAccessRules.Covers(allowed, filter));

    [Fact]
    public void TerminalMayReadItsTasksAndItsRegionsWarningsOnly()
    {
        var p = MqttAccessRules.Terminal("t-9", ["3205", "320508"]);
        Assert.Equal(["gridgov/v1/terminals/t-9/#"], p.PublishFilters);
        Assert.Equal(["gridgov/v1/terminals/t-9/tasks", "gridgov/v1/regions/3205/warning", "gridgov/v1/regions/320508/warning"], p.SubscribeFilters);
        Assert.Equal("t-9", p.DeviceId);
    }

    [Fact]
    public void AResponderReadsItsOwnEscalationsAndAcknowledgesOnlyUnderItsOwnName()
    {
        var responder = MqttAccessRules.User("resp", isResponder: true, ["3205"]);
        Assert.Equal(["gridgov/v1/responders/resp/ack"], responder.PublishFilters);
        Assert.Equal(["gridgov/v1/responders/resp/escalations", "gridgov/v1/regions/3205/warning"], responder.SubscribeFilters);
        Assert.Null(responder.DeviceId);

        var staff = MqttAccessRules.User("staff", isResponder: false, ["3205"]);
        Assert.Empty(staff.PublishFilters);
        Assert.Equal(["gridgov/v1/regions/3205/warning"], staff.SubscribeFilters);
    }
}
