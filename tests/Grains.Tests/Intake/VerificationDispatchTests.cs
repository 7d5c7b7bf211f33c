using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Intake;

namespace GridGov.Realtime.Grains.Tests.Intake;

public sealed class VerificationDispatchTests
{
    [Fact]
    public async Task A_citizen_report_starts_in_verifying_and_goes_to_the_nearest_on_duty_worker_with_a_task()
    {
        var grid = IntakeFixture.Grid(0);
        await using var f = await IntakeFixture.StartAsync(w =>
        {
            w.Add("w-near", IntakeFixture.Community, [grid]);
            w.Add("w-far", IntakeFixture.Community, [grid]);
            w.Add("w-off", IntakeFixture.Community, [grid]);
            w.Add("w-next-door", IntakeFixture.Community, [IntakeFixture.Grid(1)]);
        });
        await f.PlaceAsync("w-near", 0, northMetres: 12);
        await f.PlaceAsync("w-far", 0, northMetres: -35);
        await f.PlaceAsync("w-off", 0, northMetres: 2, onDuty: false);
        await f.PlaceAsync("w-next-door", 1, northMetres: 0); // on duty, but neither inside nor assigned to grid 0

        var result = await f.SubmitAsync(IntakeFixture.CitizenReport(0));

        Assert.True(result.Succeeded, result.Error);
        var view = result.View!;
        Assert.Equal((CaseStatus.Verifying, "w-near", true), (view.Status, view.Verifier, view.NeedsVerification));
        var history = await f.HistoryAsync(view.Id);
        Assert.Equal(["reported", "verification_requested"], history.Select(h => h.Type));
        Assert.Equal((CaseStatus.Verifying, CaseStatus.Verifying), (history[0].To, history[1].To));
        Assert.Equal("worker w-near", history[1].Detail);
        Assert.Contains("nearest on-duty", history[1].Note, StringComparison.Ordinal);

        var (worker, task) = Assert.Single(f.Tasks.Sent);
        Assert.Equal("w-near", worker);
        Assert.Equal((CaseTaskTypes.Verify, view.Id, "0102", grid), (task.Type, task.CaseId, task.CategoryCode, task.RegionCode));
        Assert.Equal(["https://media.example/citizen/1.jpg"], task.Attachments);
    }

    [Fact]
    public async Task With_nobody_on_duty_the_grids_assigned_worker_is_sent()
    {
        var grid = IntakeFixture.Grid(0);
        await using var f = await IntakeFixture.StartAsync(w =>
        {
            w.Add("w-b", IntakeFixture.Community, [grid]);
            w.Add("w-a", IntakeFixture.Community, [grid]);
            w.Add("w-retired", IntakeFixture.Community, [grid], active: false);
        });

        var view = (await f.SubmitAsync(IntakeFixture.CitizenReport(0))).View!;

        Assert.Equal("w-a", view.Verifier);
        Assert.Contains("assigned worker", (await f.HistoryAsync(view.Id))[1].Note, StringComparison.Ordinal);
        Assert.Equal("w-a", Assert.Single(f.Tasks.Sent).WorkerId);
    }

    [Fact]
    public async Task With_nobody_to_send_the_report_stays_with_the_dispatcher_who_may_send_a_worker_by_hand()
    {
        await using var f = await IntakeFixture.StartAsync();
        var view = (await f.SubmitAsync(IntakeFixture.CitizenReport(0))).View!;

        Assert.Equal((CaseStatus.Verifying, null), (view.Status, view.Verifier));
        var note = (await f.HistoryAsync(view.Id))[^1];
        Assert.Equal("annotated", note.Type);
        Assert.Contains("waits for the dispatcher", note.Note, StringComparison.Ordinal);
        Assert.Empty(f.Tasks.Sent);

        var staff = new CaseActor("staff1", CaseRoles.CommandStaff, IntakeFixture.Community[..6]);
        var sent = await f.Grains.GetGrain<ICaseGrain>(view.Id).Execute(new CaseCommand
        {
            RequestId = "by-hand", Actor = staff, Kind = CaseCommandKind.RequestVerification, Worker = "w-9",
        });
        Assert.True(sent.Succeeded, sent.Error);
        Assert.Equal("w-9", sent.View!.Verifier);
    }

    [Fact]
    public async Task A_repeated_submission_opens_one_case_and_sends_one_task_and_a_reused_request_id_is_refused()
    {
        var grid = IntakeFixture.Grid(0);
        await using var f = await IntakeFixture.StartAsync(w => w.Add("w-1", IntakeFixture.Community, [grid]));
        await f.PlaceAsync("w-1", 0, northMetres: 5);

        var first = await f.SubmitAsync(IntakeFixture.CitizenReport(0));
        var again = await f.SubmitAsync(IntakeFixture.CitizenReport(0));

        Assert.Equal(first.View!.Id, again.View!.Id);
        Assert.Equal((false, true), (first.Replayed, again.Replayed));
        Assert.Single(await f.Cases.ListCaseIdsAsync("", 10));
        Assert.Single(f.Tasks.Sent);

        var other = await f.SubmitAsync(IntakeFixture.CitizenReport(0, description: "另一件事"));
        Assert.Equal((CaseCommandStatus.Conflict, "requestId"), (other.Status, other.Field));
        Assert.Single(await f.Cases.ListCaseIdsAsync("", 10));
    }

    [Fact]
    public async Task A_report_outside_the_accounts_scope_is_forbidden_and_uses_no_case_number()
    {
        await using var f = await IntakeFixture.StartAsync();
        var report = IntakeFixture.CitizenReport(0) with { Actor = new CaseActor("app-other", CaseRoles.Integration, "999999") };

        var result = await f.SubmitAsync(report);

        Assert.Equal(CaseCommandStatus.Forbidden, result.Status);
        Assert.Empty(await f.Cases.ListCaseIdsAsync("", 10));
        var next = await f.SubmitAsync(IntakeFixture.CitizenReport(0), "r2");
        Assert.EndsWith("000001", next.View!.Id, StringComparison.Ordinal);
    }
}
