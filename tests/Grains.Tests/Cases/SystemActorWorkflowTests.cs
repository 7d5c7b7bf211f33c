using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases;

/// <summary>The system actor (sensors) and the Annotate command.</summary>
public sealed class SystemActorWorkflowTests
{
    private static readonly CaseActor Sensor = new("sensor:s1", CaseRoles.System, "");

    [Fact]
    public void A_system_report_starts_in_verifying_and_a_grid_worker_verifies_it_before_filing()
    {
        var f = new Flow();
        f.Do(Report(Sensor));
        Assert.Equal((CaseStatus.Verifying, true, null), (f.State!.Status, f.State.NeedsVerification, f.State.Step));
        Assert.Equal(CaseCommandStatus.IllegalTransition, f.Try(Command(Staff, CaseCommandKind.File)).Status);
        f.Do(Worker, CaseCommandKind.Verify);
        Assert.Equal((CaseStatus.Reported, CaseStep.Filing), (f.State.Status, f.State.Step));
        f.Do(Staff, CaseCommandKind.File);
        Assert.Equal(CaseStatus.Filed, f.State.Status);
    }

    [Fact]
    public void The_system_actor_may_report_and_annotate_but_nothing_else()
    {
        var f = new Flow();
        f.Do(Report(Sensor));
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(Sensor, CaseCommandKind.Verify)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(Sensor, CaseCommandKind.Void, "x")).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(Worker, CaseCommandKind.Annotate, "x")).Status);
    }

    [Fact]
    public void Annotate_needs_a_note_and_changes_neither_status_nor_clock()
    {
        var f = new Flow();
        f.Do(Report(Worker));
        f.Do(Staff, CaseCommandKind.File);
        var before = f.State!;
        Assert.Equal((CaseCommandStatus.Invalid, "note"), (f.Try(Command(Sensor, CaseCommandKind.Annotate)).Status, f.Try(Command(Sensor, CaseCommandKind.Annotate)).Field));
        f.Now = f.Now.AddMinutes(5);
        var after = f.Do(Command(Sensor, CaseCommandKind.Annotate, "repeat #2") with { Attachments = ["https://m.example/2.jpg"] });
        Assert.Equal((before.Status, before.Step, before.StepStartedAt, before.Deadline), (after.Status, after.Step, after.StepStartedAt, after.Deadline));
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Contains("https://m.example/2.jpg", after.Attachments);
        var e = Assert.IsType<CaseAnnotated>(f.Events[^1]);
        Assert.Equal(("annotated", "repeat #2"), (e.Type, e.Note));
    }
}
