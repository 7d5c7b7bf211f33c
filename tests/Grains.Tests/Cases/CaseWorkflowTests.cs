using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases;

public sealed class CaseWorkflowTests
{
    [Fact]
    public void A_patrol_report_goes_from_reported_to_closed_with_one_event_per_step()
    {
        var f = new Flow();
        f.Do(Report(Worker));
        Assert.Equal((CaseStatus.Reported, CaseStep.Filing, false), (f.State!.Status, f.State.Step, f.State.NeedsVerification));
        f.Do(Staff, CaseCommandKind.File);
        Assert.Equal(CaseStep.Dispatch, f.State.Step);
        f.Do(Staff, CaseCommandKind.Dispatch, department: "water");
        Assert.Equal(("water", CaseStep.Handling), (f.State.Department, f.State.Step));
        // 4 工作时 from Monday 09:00: 09:00–12:00 and 13:30–14:30.
        Assert.Equal(At(2, 14, 30), f.State.Deadline);
        f.Do(Handler, CaseCommandKind.Accept);
        Assert.Equal(At(2, 14, 30), f.State.Deadline); // accepting does not restart the handling clock
        f.Do(Handler, CaseCommandKind.SubmitFeedback);
        Assert.Null(f.State.Step);
        f.Do(Staff, CaseCommandKind.RequestCheck);
        Assert.Equal(CaseStep.Checking, f.State.Step);
        f.Do(Worker, CaseCommandKind.PassCheck);
        Assert.Equal((CaseStatus.Checking, true, (CaseStep?)null), (f.State.Status, f.State.CheckPassed, f.State.Step));
        f.Do(Staff, CaseCommandKind.Close);

        Assert.Equal(CaseStatus.Closed, f.State.Status);
        Assert.Equal(8, f.State.Version);
        Assert.Equal(
            ["reported", "filed", "dispatched", "accepted", "feedback_submitted", "check_requested", "check_passed", "closed"],
            f.Events.Select(e => e.Type).Distinct());
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), f.Events.Select(e => e.Seq));
        Assert.All(f.Events.Skip(1).Zip(f.Events), p => Assert.Equal(p.Second.To, p.First.From));
        Assert.Null(f.Events[0].From);
        Assert.Equal(["https://files.example/p/1.jpg"], f.State.Attachments);
    }

    [Fact]
    public void The_state_is_a_pure_fold_of_the_events()
    {
        var f = Flow.To(CaseStatus.Closed);
        var replayed = CaseState.Fold(f.Events)!;
        Assert.Equal(f.State, replayed with { Pauses = f.State!.Pauses, Attachments = f.State.Attachments });
        Assert.Equal(f.State.Pauses, replayed.Pauses);
        Assert.Equal(f.State.Attachments, replayed.Attachments);
    }

    [Fact]
    public void A_public_report_must_be_verified_by_a_grid_worker_before_filing()
    {
        var f = new Flow();
        f.Do(Report(Staff));
        Assert.True(f.State!.NeedsVerification);
        Assert.Null(f.State.Step); // no filing clock before 核实
        Assert.Equal(CaseCommandStatus.IllegalTransition, f.Try(Command(Staff, CaseCommandKind.File)).Status);
        f.Do(Staff, CaseCommandKind.RequestVerification);
        Assert.Equal(CaseStatus.Verifying, f.State.Status);
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(Staff, CaseCommandKind.Verify)).Status);
        f.Do(Worker, CaseCommandKind.Verify);
        Assert.Equal((CaseStatus.Reported, true, CaseStep.Filing), (f.State.Status, f.State.Verified, f.State.Step));
        f.Do(Staff, CaseCommandKind.File);
        Assert.Equal(CaseStatus.Filed, f.State.Status);
    }

    [Fact]
    public void A_report_not_confirmed_on_site_cannot_be_filed_and_is_voided_with_a_reason()
    {
        var f = new Flow();
        f.Do(Report(Staff));
        f.Do(Staff, CaseCommandKind.RequestVerification);
        f.Do(Command(Worker, CaseCommandKind.Verify) with { Confirmed = false });
        Assert.Equal(CaseCommandStatus.IllegalTransition, f.Try(Command(Staff, CaseCommandKind.File)).Status);
        var noReason = f.Try(Command(Staff, CaseCommandKind.Void));
        Assert.Equal((CaseCommandStatus.Invalid, "note"), (noReason.Status, noReason.Field));
        f.Do(Staff, CaseCommandKind.Void, "现场未发现");
        Assert.True(f.State!.IsTerminal);
        Assert.Null(f.State.Step);
    }

    public static TheoryData<CaseStatus, CaseCommandKind> IllegalCommands()
    {
        var data = new TheoryData<CaseStatus, CaseCommandKind>();
        var legal = new Dictionary<CaseStatus, CaseCommandKind[]>
        {
            [CaseStatus.Reported] = [CaseCommandKind.File, CaseCommandKind.Void, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Filed] = [CaseCommandKind.Dispatch, CaseCommandKind.Void, CaseCommandKind.Suspend, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Dispatched] = [CaseCommandKind.Accept, CaseCommandKind.Return, CaseCommandKind.RequestExtension, CaseCommandKind.Suspend, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Handling] = [CaseCommandKind.SubmitFeedback, CaseCommandKind.Return, CaseCommandKind.RequestExtension, CaseCommandKind.Suspend, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Feedback] = [CaseCommandKind.RequestCheck, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Checking] = [CaseCommandKind.PassCheck, CaseCommandKind.FailCheck, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Returned] = [CaseCommandKind.Dispatch, CaseCommandKind.Suspend, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.ExtensionPending] = [CaseCommandKind.ApproveExtension, CaseCommandKind.RejectExtension, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Suspended] = [CaseCommandKind.Resume, CaseCommandKind.Supervise, CaseCommandKind.Annotate],
            [CaseStatus.Closed] = [],
            [CaseStatus.Void] = [],
        };
        foreach (var (status, allowed) in legal)
        {
            foreach (var kind in Enum.GetValues<CaseCommandKind>().Except(allowed)) data.Add(status, kind);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalCommands))]
    public void An_illegal_command_is_refused_and_changes_nothing(CaseStatus status, CaseCommandKind kind)
    {
        var f = Flow.To(status);
        var before = f.State;
        // Admin passes every role check, so only the status can refuse; reason and department are given.
        var decision = f.Try(Command(Admin, kind, note: "reason", department: "water") with
        {
            CaseKind = CaseKind.Component, CategoryCode = "0101", Urgency = Urgency.Normal, RegionCode = Region, Description = "x",
        });
        Assert.Equal(CaseCommandStatus.IllegalTransition, decision.Status);
        Assert.Null(decision.Event);
        Assert.False(string.IsNullOrEmpty(decision.Error));
        Assert.Same(before, f.State);
    }

    [Fact]
    public void Return_needs_a_reason_goes_back_to_the_dispatcher_and_may_be_redispatched_elsewhere()
    {
        var f = Flow.To(CaseStatus.Handling);
        Assert.Equal("note", f.Try(Command(Handler, CaseCommandKind.Return)).Field);
        f.Do(Handler, CaseCommandKind.Return, "不属于本部门职责");
        Assert.Equal((CaseStatus.Returned, (string?)null, CaseStep.Dispatch), (f.State!.Status, f.State.Department, f.State.Step));
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(Handler, CaseCommandKind.Accept)).Status);
        f.Do(Staff, CaseCommandKind.Dispatch, department: "power");
        Assert.Equal(("power", 0), (f.State.Department, f.State.ReworkCount));
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(Handler, CaseCommandKind.Accept)).Status);
        f.Do(OtherHandler, CaseCommandKind.Accept);
        Assert.Equal("returned by department water", CaseAuditEntry.Of(f.Events.Single(e => e is CaseReturned)).Detail);
    }

    [Fact]
    public void An_extension_stops_the_clock_while_pending_and_approval_adds_the_standard_extension()
    {
        var f = Flow.To(CaseStatus.Handling); // dispatched Monday 09:00, due 14:30
        f.Now = At(2, 10);
        f.Do(Handler, CaseCommandKind.RequestExtension, "等待备件");
        Assert.Equal(CaseStatus.ExtensionPending, f.State!.Status);
        Assert.Null(f.State.Deadline);
        f.Now = At(2, 11);
        f.Do(Staff, CaseCommandKind.ApproveExtension);
        Assert.Equal((CaseStatus.Handling, 1), (f.State.Status, f.State.ExtensionCount));
        // 4 + 4 工作时, one working hour paused: 1 h used before 10:00, 7 h left from 11:00 → 11–12, 13:30–17:30, Tue 08:30–10:30.
        Assert.Equal(new TimeLimit(8, TimeUnit.WorkingHours), f.State.Limit);
        Assert.Equal(At(3, 10, 30), f.State.Deadline);
    }

    [Fact]
    public void A_second_extension_needs_leadership_and_a_rejection_needs_a_reason()
    {
        var f = Flow.To(CaseStatus.Handling);
        f.Do(Handler, CaseCommandKind.RequestExtension, "等待备件");
        f.Do(Staff, CaseCommandKind.ApproveExtension);
        f.Do(Handler, CaseCommandKind.RequestExtension, "仍在等待");
        var denied = f.Try(Command(Staff, CaseCommandKind.ApproveExtension));
        Assert.Equal(CaseCommandStatus.Forbidden, denied.Status);
        Assert.Contains("leadership", denied.Error, StringComparison.Ordinal);
        Assert.Equal("note", f.Try(Command(Admin, CaseCommandKind.RejectExtension)).Field);
        f.Do(Admin, CaseCommandKind.RejectExtension, "不予延期");
        Assert.Equal((CaseStatus.Handling, 1), (f.State!.Status, f.State.ExtensionCount));
        f.Do(Handler, CaseCommandKind.RequestExtension, "再次申请");
        f.Do(Command(Admin, CaseCommandKind.ApproveExtension) with { ExtensionAmount = 2 });
        Assert.Equal((2, new TimeLimit(10, TimeUnit.WorkingHours)), (f.State.ExtensionCount, f.State.Limit));
    }

    [Fact]
    public void Suspension_leaves_the_clock_and_resume_excludes_the_paused_time_from_the_deadline()
    {
        var f = Flow.To(CaseStatus.Dispatched); // Monday 09:00, 4 工作时 → 14:30
        f.Now = At(2, 10);
        Assert.Equal("note", f.Try(Command(Staff, CaseCommandKind.Suspend)).Field);
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(Handler, CaseCommandKind.Suspend, "x")).Status);
        f.Do(Staff, CaseCommandKind.Suspend, "冬季无法施工");
        Assert.Equal((CaseStatus.Suspended, (DateTimeOffset?)null, CaseStep.Handling), (f.State!.Status, f.State.Deadline, f.State.Step));
        Assert.Equal(CaseCommandStatus.IllegalTransition, f.Try(Command(Handler, CaseCommandKind.Accept)).Status);
        f.Now = At(3, 10);
        f.Do(Staff, CaseCommandKind.Resume);
        // 1 h used before the pause; 3 h left from Tuesday 10:00: 10–12 and 13:30–14:30.
        Assert.Equal((CaseStatus.Dispatched, At(3, 14, 30)), (f.State.Status, f.State.Deadline!.Value));
        Assert.Equal(TrafficLight.Green, Workflow.Calendar.Light(f.State.StepStartedAt!.Value, At(3, 11), f.State.Limit!, f.State.Pauses));
    }

    [Fact]
    public void A_failed_check_is_rework_to_the_same_department_and_is_counted()
    {
        var f = Flow.To(CaseStatus.Checking);
        Assert.Equal("note", f.Try(Command(Worker, CaseCommandKind.FailCheck)).Field);
        f.Now = At(2, 15);
        f.Do(Worker, CaseCommandKind.FailCheck, "井盖仍未更换");
        Assert.Equal((CaseStatus.Dispatched, "water", 1, CaseStep.Handling), (f.State!.Status, f.State.Department, f.State.ReworkCount, f.State.Step));
        // A fresh handling clock from the failure: 15:00–17:30 then Tuesday 08:30–10:00.
        Assert.Equal(At(3, 10), f.State.Deadline);
        f.Do(Handler, CaseCommandKind.Accept);
        f.Do(Handler, CaseCommandKind.SubmitFeedback);
        f.Do(Staff, CaseCommandKind.RequestCheck);
        f.Do(Worker, CaseCommandKind.FailCheck, "仍未修复");
        Assert.Equal(2, f.State.ReworkCount);
        Assert.Equal(2, ((CaseCheckFailed)f.Events[^1]).ReworkCount);
    }

    [Fact]
    public void Supervision_keeps_the_status_is_counted_and_needs_a_reason()
    {
        var f = Flow.To(CaseStatus.Handling);
        Assert.Equal("note", f.Try(Command(Staff, CaseCommandKind.Supervise)).Field);
        f.Do(Staff, CaseCommandKind.Supervise, "媒体曝光");
        f.Do(Staff, CaseCommandKind.Supervise, "领导交办");
        Assert.Equal((CaseStatus.Handling, 2), (f.State!.Status, f.State.SuperviseCount));
        Assert.All(f.Events.TakeLast(2), e => Assert.Equal(e.From, e.To));
    }

    [Fact]
    public void An_admin_may_do_every_step()
    {
        var f = new Flow();
        f.Do(Report(Admin));
        foreach (var (kind, dept) in new (CaseCommandKind, string?)[]
                 {
                     (CaseCommandKind.RequestVerification, null), (CaseCommandKind.Verify, null), (CaseCommandKind.File, null),
                     (CaseCommandKind.Dispatch, "water"), (CaseCommandKind.Accept, null), (CaseCommandKind.SubmitFeedback, null),
                     (CaseCommandKind.RequestCheck, null), (CaseCommandKind.PassCheck, null), (CaseCommandKind.Close, null),
                 })
        {
            f.Do(Admin, kind, department: dept);
        }
        Assert.Equal(CaseStatus.Closed, f.State!.Status);
    }

    public static TheoryData<string, CaseStatus, CaseCommandKind> RoleDenials() => new()
    {
        { "handler files", CaseStatus.Reported, CaseCommandKind.File },
        { "worker files", CaseStatus.Reported, CaseCommandKind.File },
        { "worker dispatches", CaseStatus.Filed, CaseCommandKind.Dispatch },
        { "staff accepts", CaseStatus.Dispatched, CaseCommandKind.Accept },
        { "other department accepts", CaseStatus.Dispatched, CaseCommandKind.Accept },
        { "staff submits feedback", CaseStatus.Handling, CaseCommandKind.SubmitFeedback },
        { "handler requests check", CaseStatus.Feedback, CaseCommandKind.RequestCheck },
        { "staff passes check", CaseStatus.Checking, CaseCommandKind.PassCheck },
        { "handler approves extension", CaseStatus.ExtensionPending, CaseCommandKind.ApproveExtension },
        { "handler resumes", CaseStatus.Suspended, CaseCommandKind.Resume },
        { "responder supervises", CaseStatus.Handling, CaseCommandKind.Supervise },
        { "other district staff files", CaseStatus.Reported, CaseCommandKind.File },
        { "other district staff supervises", CaseStatus.Handling, CaseCommandKind.Supervise },
    };

    [Theory]
    [MemberData(nameof(RoleDenials))]
    public void Wrong_role_department_or_scope_is_forbidden_and_changes_nothing(string who, CaseStatus status, CaseCommandKind kind)
    {
        var actor = who.Split(' ')[0] switch
        {
            "handler" => Handler,
            "worker" => Worker,
            "staff" => Staff,
            "responder" => Responder,
            "other" when who.Contains("department", StringComparison.Ordinal) => OtherHandler,
            _ => OtherDistrictStaff,
        };
        var f = Flow.To(status);
        var before = f.State;
        var decision = f.Try(Command(actor, kind, note: "reason", department: "water"));
        Assert.Equal(CaseCommandStatus.Forbidden, decision.Status);
        Assert.Same(before, f.State);
    }

    [Fact]
    public void A_grid_worker_of_another_grid_cannot_check()
    {
        var f = Flow.To(CaseStatus.Checking);
        var neighbour = new CaseActor("worker2", CaseRoles.GridWorker, "310104002");
        Assert.Equal(CaseCommandStatus.Forbidden, f.Try(Command(neighbour, CaseCommandKind.PassCheck)).Status);
    }

    [Theory]
    [InlineData("regionCode", null, "0101", Urgency.Normal, "desc")]
    [InlineData("regionCode", "31-01", "0101", Urgency.Normal, "desc")]
    [InlineData("categoryCode", Region, "9999", Urgency.Normal, "desc")]
    [InlineData("categoryCode", Region, null, Urgency.Normal, "desc")]
    [InlineData("description", Region, "0101", Urgency.Normal, " ")]
    public void A_bad_report_names_the_field(string field, string? region, string? category, Urgency urgency, string description)
    {
        var decision = new Flow().Try(Report(Staff) with { RegionCode = region, CategoryCode = category, Urgency = urgency, Description = description });
        Assert.Equal((CaseCommandStatus.Invalid, field), (decision.Status, decision.Field));
    }

    [Fact]
    public void Report_checks_the_urgency_the_category_admits_scope_and_role()
    {
        var lamp = Report(Staff) with { CategoryCode = "0110", Urgency = Urgency.Urgent };
        Assert.Equal("urgency", new Flow().Try(lamp).Field);
        Assert.Equal(CaseCommandStatus.Forbidden, new Flow().Try(Report(OtherDistrictStaff)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, new Flow().Try(Report(Responder)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, new Flow().Try(Report(Handler)).Status);
        Assert.Equal("latitude", new Flow().Try(Report(Staff) with { Latitude = 91, Longitude = 121 }).Field);
        Assert.Equal("attachments", new Flow().Try(Report(Staff) with { Attachments = ["has space"] }).Field);
        var f = Flow.To(CaseStatus.Reported);
        Assert.Equal(CaseCommandStatus.IllegalTransition, f.Try(Report(Staff, "again")).Status);
        Assert.Equal(CaseCommandStatus.NotFound, new Flow().Try(Command(Staff, CaseCommandKind.File)).Status);
    }

    [Fact]
    public void Dispatch_needs_a_department_and_a_stale_expected_version_is_a_conflict()
    {
        var f = Flow.To(CaseStatus.Filed);
        Assert.Equal("department", f.Try(Command(Staff, CaseCommandKind.Dispatch)).Field);
        var stale = f.Try(Command(Staff, CaseCommandKind.Dispatch, department: "water") with { ExpectedVersion = 1 });
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        f.Do(Command(Staff, CaseCommandKind.Dispatch, department: "water") with { ExpectedVersion = 2 });
    }

    [Fact]
    public void Overdue_is_raised_once_per_step_after_the_deadline()
    {
        var f = Flow.To(CaseStatus.Dispatched);
        Assert.Null(Workflow.Overdue(f.State!, At(2, 14, 29)));
        var overdue = Workflow.Overdue(f.State!, At(2, 14, 30));
        Assert.NotNull(overdue);
        Assert.Equal((CaseRoles.System, CaseStep.Handling, At(2, 14, 30)), (overdue.ActorName, ((CaseStepOverdue)overdue).OverdueStep, ((CaseStepOverdue)overdue).Due));
        var after = CaseState.Apply(f.State, overdue);
        Assert.True(after.Overdue);
        Assert.Null(Workflow.Overdue(after, At(2, 16)));
        Assert.Equal(CaseStatus.Dispatched, after.Status);
    }
}
