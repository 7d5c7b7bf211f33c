using System.Net;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Silo.Tests.Responders;

public sealed class ResponderRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEscalationAndItsAckTimeoutSurviveARestartOfTheHost()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string id;
        await using (var first = await ResponderSilo.StartAsync(dir.Path, time))
        {
            var street = first.Street(1, 0);
            var staff = await first.UserAsync("rs-d1", Roles.CommandStaff, "310101");
            await first.UserAsync("rs-a", Roles.Responder, street.Code);
            await first.UserAsync("rs-b", Roles.Responder, street.Code);
            Assert.Equal(HttpStatusCode.OK, (await first.PutRosterAsync(staff, street.Code, "rs-a", "rs-b")).StatusCode);
            id = (await first.EscalateAsync(street.Children[0].Children[0], "rs-w:sos:1", "rs-a")).EscalationId;
        }

        await using var second = await ResponderSilo.StartAsync(dir.Path, time, restart: true);
        time.Advance(ResponderSilo.AckTimeout);
        var moved = await second.Sent.WaitAsync("rs-b", id);
        Assert.Equal(id, moved.EscalationId);
        var staffAgain = await second.LoginAsync("rs-d1");
        var view = await ResponderSilo.JsonOf(await staffAgain.GetAsync($"/api/escalations/{id}", Ct));
        Assert.Equal(["rs-a", "rs-b"], view.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("responder").GetString()));
        Assert.Equal(["TimedOut", "Pending"], view.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        var open = await ResponderSilo.JsonOf(await staffAgain.GetAsync("/api/escalations?open=true", Ct));
        Assert.Contains(id, open.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }
}
