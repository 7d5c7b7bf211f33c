using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;
using static GridGov.Realtime.Grains.Tests.Responders.EscalationFixture;

namespace GridGov.Realtime.Grains.Tests.Responders;

public sealed class EscalationGrainTests
{
    [Fact]
    public async Task AnAcknowledgementWithinTheTimeoutStopsTheEscalation()
    {
        await using var f = await EscalationFixture.StartAsync();
        await f.RosterAsync(Street11, "r1", "r2");
        var opened = f.Time.GetUtcNow();
        var id = await f.StartAsync(Grid111);

        var (responder, notice) = await f.Recorder.SentAsync(1);
        Assert.Equal(("r1", id, Street11.Code, Grid111.Code), (responder, notice.EscalationId, notice.RosterRegion, notice.RegionCode));
        Assert.Equal(opened + AckTimeout, notice.DueAt);
        Assert.Equal("gridgov/v1/responders/r1/ack", notice.AckTopic);

        f.Time.Advance(AckTimeout - TimeSpan.FromSeconds(1));
        var acked = await f.AckAsync(id, ResponderActor("r1"), "mqtt");
        Assert.Equal(EscalationCommandStatus.Ok, acked.Status);
        f.Time.Advance(AckTimeout * 5);

        var view = (await f.Escalation(id).Get())!;
        Assert.Equal((EscalationStatus.Acknowledged, "r1", "mqtt"), (view.Status, view.AcknowledgedBy, view.AcknowledgedVia));
        Assert.False(view.Open);
        Assert.Equal(AttemptOutcome.Acknowledged, Assert.Single(view.Attempts).Outcome);
        Assert.Single(f.Recorder.Sent);
        Assert.Equal(["sent", "acknowledged"], f.Recorder.Updates.Where(u => u.EscalationId == id).Select(u => u.Action));
    }

    [Fact]
    public async Task ATimeoutMovesTheEscalationToTheNextResponderOfTheRoster()
    {
        await using var f = await EscalationFixture.StartAsync();
        await f.RosterAsync(Street11, "r1", "r2");
        var id = await f.StartAsync(Grid111);
        await f.Recorder.SentAsync(1);

        f.Time.Advance(AckTimeout);
        var (next, notice) = await f.Recorder.SentAsync(2);
        Assert.Equal(("r2", Street11.Code), (next, notice.RosterRegion));
        var timedOut = await f.Recorder.UpdateAsync(id, "timed_out");
        Assert.Equal("r1", timedOut.By);

        var view = (await f.Escalation(id).Get())!;
        Assert.Equal((EscalationStatus.Pending, "r2"), (view.Status, view.Responder));
        Assert.Equal([AttemptOutcome.TimedOut, AttemptOutcome.Pending], view.Attempts.Select(a => a.Outcome));
        Assert.Equal(notice.SentAt + AckTimeout, view.DueAt);
    }

    [Fact]
    public async Task AnExhaustedRosterMovesTheEscalationUpALevelAndAtTheCityItStaysOpenAndFlagged()
    {
        await using var f = await EscalationFixture.StartAsync();
        await f.RosterAsync(Street11, "r1");
        // The district asks r1 again last: someone who let it time out is not woken twice.
        await f.RosterAsync(District1, "d1", "r1");
        await f.RosterAsync(CityNode, "c1");
        var id = await f.StartAsync(Grid111);
        await f.Recorder.SentAsync(1);

        f.Time.Advance(AckTimeout);
        Assert.Equal(("d1", District1.Code), ((await f.Recorder.SentAsync(2)).Responder, (await f.Recorder.SentAsync(2)).Notice.RosterRegion));
        f.Time.Advance(AckTimeout);
        Assert.Equal(("c1", CityNode.Code), ((await f.Recorder.SentAsync(3)).Responder, (await f.Recorder.SentAsync(3)).Notice.RosterRegion));
        f.Time.Advance(AckTimeout);
        var flagged = await f.Recorder.UpdateAsync(id, "unanswered");
        Assert.Equal(EscalationStatus.Unanswered, flagged.Status);

        f.Time.Advance(AckTimeout * 10);
        var view = (await f.Escalation(id).Get())!;
        Assert.Equal(EscalationStatus.Unanswered, view.Status);
        Assert.True(view.Open);
        Assert.Null(view.Responder);
        Assert.Equal(["r1", "d1", "c1"], view.Attempts.Select(a => a.Responder));
        Assert.All(view.Attempts, a => Assert.Equal(AttemptOutcome.TimedOut, a.Outcome));
        Assert.Equal(3, f.Recorder.Sent.Count);

        // Still open: a responder it went to may take it late.
        Assert.Equal(EscalationCommandStatus.Ok, (await f.AckAsync(id, ResponderActor("d1"))).Status);
    }

    [Fact]
    public async Task RegionsWithEmptyRostersAreSkippedAndNoRosterAtAllLeavesItUnansweredAtOnce()
    {
        await using var f = await EscalationFixture.StartAsync();
        await f.RosterAsync(CityNode, "c1");
        var id = await f.StartAsync(Grid111);
        Assert.Equal(("c1", CityNode.Code), ((await f.Recorder.SentAsync(1)).Responder, (await f.Recorder.SentAsync(1)).Notice.RosterRegion));

        var beforeClearing = await f.StartAsync(District2.Children[0].Children[0].Children[0], "w9:sos:2");
        await f.Recorder.SentAsync(2);
        await f.RosterAsync(CityNode);
        var lonely = await f.StartAsync(District2.Children[0].Children[0].Children[0], "w9:sos:3");
        Assert.Equal(EscalationStatus.Unanswered, (await f.Recorder.UpdateAsync(lonely, "unanswered")).Status);
        Assert.Equal(EscalationStatus.Pending, (await f.Escalation(beforeClearing).Get())!.Status); // it went to c1 before the roster was cleared
        Assert.Equal(id, f.Recorder.Sent[0].Notice.EscalationId);
    }

    [Fact]
    public async Task StartingTheSameEscalationTwiceSendsItOnce()
    {
        await using var f = await EscalationFixture.StartAsync();
        await f.RosterAsync(Street11, "r1", "r2");
        var id = await f.StartAsync(Grid111);
        await f.StartAsync(Grid111);
        var view = (await f.Escalation(id).Get())!;
        Assert.Single(view.Attempts);
        Assert.Single(f.Recorder.Sent);
    }

    [Fact]
    public async Task OnlyTheCurrentResponderOrCommandStaffCoveringTheRosterRegionMayAcknowledge()
    {
        await using var f = await EscalationFixture.StartAsync();
        await f.RosterAsync(Street11, "r1");
        await f.RosterAsync(District1, "d1");
        var id = await f.StartAsync(Grid111);
        await f.Recorder.SentAsync(1);

        Assert.Equal(EscalationCommandStatus.Forbidden, (await f.AckAsync(id, ResponderActor("d1"))).Status); // not with d1 yet
        Assert.Equal(EscalationCommandStatus.Forbidden, (await f.AckAsync(id, Staff("s2", District2))).Status);
        Assert.Equal(EscalationCommandStatus.NotFound, (await f.AckAsync("alert:nothing", Admin)).Status);

        f.Time.Advance(AckTimeout);
        await f.Recorder.SentAsync(2);
        var late = await f.AckAsync(id, ResponderActor("r1"));
        Assert.Equal(EscalationCommandStatus.Conflict, late.Status); // moved on: the device is told who has it
        Assert.Contains("d1", late.Error, StringComparison.Ordinal);
        // It went over the street's head: the street's staff no longer silence it, the district's do.
        Assert.Equal(EscalationCommandStatus.Forbidden, (await f.AckAsync(id, Staff("s11", Street11))).Status);
        var taken = await f.AckAsync(id, Staff("dd1", District1));
        Assert.Equal(EscalationCommandStatus.Ok, taken.Status);
        Assert.Equal(AttemptOutcome.Acknowledged, taken.Escalation!.Attempts[^1].Outcome);
        Assert.Equal("dd1", taken.Escalation.Attempts[^1].AcknowledgedBy);

        var again = await f.AckAsync(id, Staff("dd1", District1));
        Assert.True(again is { Status: EscalationCommandStatus.Ok, Replayed: true });
        Assert.Equal(EscalationCommandStatus.Conflict, (await f.AckAsync(id, Admin)).Status);
    }

    [Fact]
    public async Task TheEscalationAndItsReminderSurviveARestart()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider();
        string id;
        await using (var before = await EscalationFixture.StartAsync(dir.Path, time))
        {
            await before.RosterAsync(Street11, "r1", "r2");
            id = await before.StartAsync(Grid111);
            await before.Recorder.SentAsync(1);
        }

        await using var after = await EscalationFixture.StartAsync(dir.Path, time);
        after.Time.Advance(AckTimeout);
        var (next, notice) = await after.Recorder.SentAsync(1);
        Assert.Equal(("r2", id), (next, notice.EscalationId));
        var view = (await after.Escalation(id).Get())!;
        Assert.Equal(["r1", "r2"], view.Attempts.Select(a => a.Responder));
        Assert.Equal((await after.Grains.GetGrain<IEscalationRegistryGrain>(IEscalationRegistryGrain.Key).List(openOnly: true)).Select(e => e.Id), [id]);
    }

    [Fact]
    public async Task TheListingKeepsOpenEscalationsAndTheRecentAcknowledgedOnes()
    {
        await using var f = await EscalationFixture.StartAsync(configure: o => o.MaxClosedListed = 1);
        await f.RosterAsync(Street11, "r1");
        var a = await f.StartAsync(Grid111, "w1:sos:1");
        var b = await f.StartAsync(Grid111, "w2:sos:2");
        var c = await f.StartAsync(Grid111, "w3:sos:3");
        await f.Recorder.SentAsync(3);
        Assert.Equal(EscalationCommandStatus.Ok, (await f.AckAsync(a, ResponderActor("r1"))).Status);
        Assert.Equal(EscalationCommandStatus.Ok, (await f.AckAsync(b, ResponderActor("r1"))).Status);

        var registry = f.Grains.GetGrain<IEscalationRegistryGrain>(IEscalationRegistryGrain.Key);
        Assert.Equal([c], (await registry.List(openOnly: true)).Select(e => e.Id));
        Assert.Equal([b, c], (await registry.List(openOnly: false)).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnSosRaisedByAWorkerEscalatesToTheRosterAboveItsGrid()
    {
        await using var f = await EscalationFixture.StartAsync();
        f.Workers.Add("w1", Street11.Code, Grid111.Code);
        await f.RosterAsync(Street11, "r1");
        var p = Grid111.Geometry.InteriorPoint;
        await f.Grains.GetGrain<IWorkerGrain>("w1").ReportSos(new SosSignal(p.Y, p.X, f.Time.GetUtcNow().ToUnixTimeMilliseconds(), "fell"));

        var (responder, notice) = await f.Recorder.SentAsync(1);
        Assert.Equal(("r1", EscalationKinds.Alert, WorkerAlertTypes.Sos, Grid111.Code), (responder, notice.Kind, notice.Type, notice.RegionCode));
        Assert.StartsWith("alert:w1:sos:", notice.EscalationId, StringComparison.Ordinal);
        Assert.Contains("fell", notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhichAlertTypesEscalateIsConfiguration()
    {
        await using var f = await EscalationFixture.StartAsync(configure: o => o.AlertTypes = [WorkerAlertTypes.LowBattery]);
        f.Workers.Add("w1", Street11.Code, Grid111.Code);
        await f.RosterAsync(Street11, "r1");
        var p = Grid111.Geometry.InteriorPoint;
        var worker = f.Grains.GetGrain<IWorkerGrain>("w1");
        await worker.ReportSos(new SosSignal(p.Y, p.X, f.Time.GetUtcNow().ToUnixTimeMilliseconds(), null));
        await worker.ReportPositions([new PositionFix(p.Y, p.X, 5, 0, 0, 3, f.Time.GetUtcNow().ToUnixTimeMilliseconds())]);

        var (_, notice) = await f.Recorder.SentAsync(1);
        Assert.Equal(WorkerAlertTypes.LowBattery, notice.Type);
        await worker.Get();
        Assert.Single(f.Recorder.Sent);
    }

    [Fact]
    public async Task AnUrgentCaseEscalatesAndANormalOneDoesNot()
    {
        await using var f = await EscalationFixture.StartAsync();
        await f.RosterAsync(Street11, "r1");
        var actor = new CaseActor("root", CaseRoles.Admin, "");

        var normal = await f.Grains.GetGrain<ICaseGrain>("C-1").Execute(Cases.CaseFixtures.Report(actor, "n1", Urgency.Normal, Grid111.Code));
        Assert.Equal(CaseCommandStatus.Ok, normal.Status);
        Assert.Null(await f.Escalation("case:C-1").Get());

        var urgent = await f.Grains.GetGrain<ICaseGrain>("C-2").Execute(Cases.CaseFixtures.Report(actor, "u1", Urgency.Urgent, Grid111.Code));
        Assert.Equal(CaseCommandStatus.Ok, urgent.Status);
        var (responder, notice) = await f.Recorder.SentAsync(1);
        Assert.Equal(("r1", "case:C-2", EscalationKinds.Case, "Urgent"), (responder, notice.EscalationId, notice.Kind, notice.Severity));
        Assert.Single(f.Recorder.Sent);
    }
}
