using System.Net;
using System.Net.Http.Json;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Tests.Responders;

/// <summary>
/// One host on fake time for the REST tests. Users: responders on streets of districts 1 and 2 and on district 2,
/// command staff of districts 1 and 2 and of a street, a grid worker. Each test uses its own street so tests stay
/// independent on the shared host.
/// </summary>
public sealed class RespondersApiFixture : IAsyncLifetime
{
    public ResponderSilo Silo { get; private set; } = null!;
    public HttpClient StaffD1 { get; private set; } = null!;
    public HttpClient StaffD2 { get; private set; } = null!;
    public HttpClient StaffStreet22 { get; private set; } = null!;
    public HttpClient Worker { get; private set; } = null!;
    public HttpClient R10 { get; private set; } = null!;
    public HttpClient R20 { get; private set; } = null!;
    public HttpClient R20b { get; private set; } = null!;
    public HttpClient R2 { get; private set; } = null!;
    public HttpClient R2b { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Silo = await ResponderSilo.StartAsync();
        StaffD1 = await Silo.UserAsync("ra-d1", Roles.CommandStaff, "310101");
        StaffD2 = await Silo.UserAsync("ra-d2", Roles.CommandStaff, "310102");
        StaffStreet22 = await Silo.UserAsync("ra-s22", Roles.CommandStaff, Silo.Street(2, 2).Code);
        Worker = await Silo.UserAsync("ra-w", Roles.GridWorker, "310101");
        R10 = await Silo.UserAsync("ra-r10", Roles.Responder, Silo.Street(1, 0).Code);
        R20 = await Silo.UserAsync("ra-r20", Roles.Responder, Silo.Street(2, 0).Code);
        R20b = await Silo.UserAsync("ra-r20b", Roles.Responder, Silo.Street(2, 0).Code);
        R2 = await Silo.UserAsync("ra-r2", Roles.Responder, "310102");
        R2b = await Silo.UserAsync("ra-r2b", Roles.Responder, "310102");
        await Silo.UserAsync("ra-r1", Roles.Responder, "310101");
        await Silo.UserAsync("ra-off", Roles.Responder, "310101");
        using var disabled = await Silo.Admin.PutAsJsonAsync("/api/users/ra-off", new { disabled = true }, TestContext.Current.CancellationToken);
        disabled.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await Silo.DisposeAsync();
}

public sealed class RespondersApiTests(RespondersApiFixture fx) : IClassFixture<RespondersApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ResponderSilo Silo => fx.Silo;

    [Fact]
    public async Task CommandStaffCoveringTheRegionSetTheRosterAndUsersInScopeReadIt()
    {
        var street = Silo.Street(1, 0).Code;
        using var put = await Silo.PutRosterAsync(fx.StaffD1, street, "ra-r10", "ra-r10");
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode); // the same responder twice
        Assert.Contains("responders[1]", await put.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var ok = await Silo.PutRosterAsync(fx.StaffD1, street, "RA-R10");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var read = await fx.R10.GetAsync($"/api/regions/{street}/on-call", Ct);
        var roster = await ResponderSilo.JsonOf(read);
        Assert.Equal(["ra-r10"], roster.GetProperty("responders").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ra-d1", roster.GetProperty("updatedBy").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await fx.StaffD2.GetAsync($"/api/regions/{street}/on-call", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Silo.PutRosterAsync(fx.StaffD2, street, "ra-r10")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Silo.PutRosterAsync(fx.Worker, street, "ra-r10")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Silo.PutRosterAsync(fx.R10, street, "ra-r10")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.StaffD1.GetAsync("/api/regions/3101019/on-call", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fx.StaffD1.GetAsync("/api/regions/abc/on-call", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("nobody-here", "no user")]
    [InlineData("ra-d1", "not a responder")]
    [InlineData("ra-r20", "does not cover")]
    [InlineData("ra-off", "disabled")]
    [InlineData(" ", "required")]
    public async Task ARosterNamesOnlyEnabledRespondersWhoseScopeCoversTheRegionAndChangesNothingOtherwise(string name, string error)
    {
        var street = Silo.Street(1, 1).Code;
        using var before = await Silo.PutRosterAsync(fx.StaffD1, street, "ra-r1");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        using var bad = await Silo.PutRosterAsync(fx.StaffD1, street, "ra-r1", name);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await ResponderSilo.JsonOf(bad);
        Assert.Contains(error, problem.GetProperty("errors").GetProperty("responders[1]")[0].GetString(), StringComparison.Ordinal);
        var roster = await ResponderSilo.JsonOf(await fx.StaffD1.GetAsync($"/api/regions/{street}/on-call", Ct));
        Assert.Equal(["ra-r1"], roster.GetProperty("responders").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task AMissingOrMalformedRosterBodyIsABadRequest()
    {
        var street = Silo.Street(1, 2).Code;
        using var missing = await fx.StaffD1.PutAsJsonAsync($"/api/regions/{street}/on-call", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await ResponderSilo.JsonOf(missing)).GetProperty("errors").TryGetProperty("responders", out _));
        using var unknownField = await fx.StaffD1.PutAsJsonAsync($"/api/regions/{street}/on-call", new { responders = Array.Empty<string>(), extra = 1 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
    }

    [Fact]
    public async Task EscalationsAreListedAndReadOnlyWithinTheRegionScope()
    {
        var street = Silo.Street(2, 0);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutRosterAsync(fx.StaffD2, street.Code, "ra-r20")).StatusCode);
        var notice = await Silo.EscalateAsync(street.Children[0].Children[0], "ra-list:sos:1", "ra-r20");

        var mine = await ResponderSilo.JsonOf(await fx.StaffD2.GetAsync("/api/escalations?open=true", Ct));
        Assert.Contains(notice.EscalationId, mine.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        var theirs = await ResponderSilo.JsonOf(await fx.StaffD1.GetAsync("/api/escalations?open=true", Ct));
        Assert.DoesNotContain(notice.EscalationId, theirs.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("id").GetString()));

        using var one = await fx.R20.GetAsync($"/api/escalations/{notice.EscalationId}", Ct);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var view = await ResponderSilo.JsonOf(one);
        Assert.Equal(("Pending", "ra-r20"), (view.GetProperty("status").GetString(), view.GetProperty("responder").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.StaffD1.GetAsync($"/api/escalations/{notice.EscalationId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.StaffD1.GetAsync("/api/escalations/alert:none", Ct)).StatusCode);
        var one1 = await ResponderSilo.JsonOf(await fx.StaffD2.GetAsync("/api/escalations?limit=1", Ct));
        Assert.Single(one1.GetProperty("escalations").EnumerateArray());
        using var badLimit = await fx.StaffD2.GetAsync("/api/escalations?limit=0", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.True((await ResponderSilo.JsonOf(badLimit)).GetProperty("errors").TryGetProperty("limit", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = fx.StaffD1.BaseAddress }.GetAsync("/api/escalations", Ct)).StatusCode);
    }

    [Fact]
    public async Task TheResponderItIsWithAcknowledgesOverRestAndOthersAreRefused()
    {
        var street = Silo.Street(2, 1);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutRosterAsync(fx.StaffD2, street.Code, "ra-r2")).StatusCode);
        var notice = await Silo.EscalateAsync(street.Children[0].Children[0], "ra-ack:sos:1", "ra-r2");
        var ack = $"/api/escalations/{notice.EscalationId}/ack";

        Assert.Equal(HttpStatusCode.Forbidden, (await fx.R20.PostAsync(ack, null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.StaffD1.PostAsync(ack, null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.R2.PostAsync("/api/escalations/alert:none/ack", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fx.R2.PostAsJsonAsync(ack, new { note = new string('x', 2001) }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fx.R2.PostAsJsonAsync(ack, new { nope = 1 }, Ct)).StatusCode);
        Assert.Equal("Pending", (await ResponderSilo.JsonOf(await fx.R2.GetAsync($"/api/escalations/{notice.EscalationId}", Ct))).GetProperty("status").GetString());

        using var taken = await fx.R2.PostAsJsonAsync(ack, new { note = "on my way" }, Ct);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var view = await ResponderSilo.JsonOf(taken);
        Assert.Equal(("Acknowledged", "ra-r2", "rest", "on my way"),
            (view.GetProperty("status").GetString(), view.GetProperty("acknowledgedBy").GetString(), view.GetProperty("acknowledgedVia").GetString(), view.GetProperty("note").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await fx.R2.PostAsync(ack, null, Ct)).StatusCode); // the same user again: idempotent
        Assert.Equal(HttpStatusCode.Conflict, (await fx.StaffD2.PostAsync(ack, null, Ct)).StatusCode);

        var open = await ResponderSilo.JsonOf(await fx.StaffD2.GetAsync("/api/escalations?open=true", Ct));
        Assert.DoesNotContain(notice.EscalationId, open.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        var all = await ResponderSilo.JsonOf(await fx.StaffD2.GetAsync("/api/escalations", Ct));
        Assert.Contains(notice.EscalationId, all.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AfterTheTimeoutItClimbsToTheDistrictRosterAndTheStreetCanNoLongerSilenceIt()
    {
        var street = Silo.Street(2, 2);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutRosterAsync(fx.StaffD2, street.Code, "ra-r2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutRosterAsync(fx.StaffD2, "310102", "ra-r2", "ra-r2b")).StatusCode);
        var notice = await Silo.EscalateAsync(street.Children[0].Children[0], "ra-climb:sos:1", "ra-r2");
        Assert.Equal(notice.SentAt + ResponderSilo.AckTimeout, notice.DueAt);

        Silo.Time.Advance(ResponderSilo.AckTimeout);
        // ra-r2 is on the district roster too, but is not woken twice for the same escalation.
        var climbed = await Silo.Sent.WaitAsync("ra-r2b", notice.EscalationId);
        Assert.Equal("310102", climbed.RosterRegion);
        var view = await ResponderSilo.JsonOf(await fx.StaffD2.GetAsync($"/api/escalations/{notice.EscalationId}", Ct));
        Assert.Equal(("ra-r2b", "310102"), (view.GetProperty("responder").GetString(), view.GetProperty("rosterRegion").GetString()));
        Assert.Equal("TimedOut", view.GetProperty("attempts")[0].GetProperty("outcome").GetString());

        var ack = $"/api/escalations/{notice.EscalationId}/ack";
        Assert.Equal(HttpStatusCode.Conflict, (await fx.R2.PostAsync(ack, null, Ct)).StatusCode); // moved on
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.StaffStreet22.PostAsync(ack, null, Ct)).StatusCode);
        using var taken = await fx.StaffD2.PostAsync(ack, null, Ct);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal("ra-d2", (await ResponderSilo.JsonOf(taken)).GetProperty("acknowledgedBy").GetString());
    }
}
