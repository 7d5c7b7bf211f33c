using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases;

public sealed class CaseGrainTests
{
    // Monday 2026-03-02 09:00 in Beijing, inside working hours.
    private static readonly DateTimeOffset Monday0900 = At(2, 9);

    private static Task<ActorTestHost> StartAsync(RecordingNotifier notifier, string? sqliteDirectory = null, DateTimeOffset? start = null) =>
        ActorTestHost.StartAsync(
            r =>
            {
                r.AddGrainsFromAssembly(typeof(GrainsAssembly).Assembly).AddJsonContext(GrainsJsonContext.Default);
                if (sqliteDirectory is null) r.UseInMemoryStorage();
                else r.UseSqliteStorage(configure: o => o.DataDirectory = sqliteDirectory);
                r.AddCases();
            },
            new FakeTimeProvider(start ?? Monday0900),
            s => s.AddSingleton<ICaseNotifier>(notifier));

    private static async Task<CaseView> Ok(ICaseGrain grain, CaseCommand command)
    {
        var result = await grain.Execute(command);
        Assert.True(result.Succeeded, $"{command.Kind}: {result.Status} {result.Error}");
        return result.View!;
    }

    private static async Task<ICaseGrain> DispatchedAsync(ActorTestHost host, string id = CaseId)
    {
        var grain = host.Grains.GetGrain<ICaseGrain>(id);
        await Ok(grain, Report(Worker));
        await Ok(grain, Command(Staff, CaseCommandKind.File));
        await Ok(grain, Command(Staff, CaseCommandKind.Dispatch, department: "water"));
        return grain;
    }

    [Fact]
    public async Task The_deadline_reminder_marks_the_step_overdue()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = host.Grains.GetGrain<ICaseGrain>(CaseId);
        await Ok(grain, Report(Worker));
        var filed = await Ok(grain, Command(Staff, CaseCommandKind.File));
        Assert.Equal((CaseStep.Dispatch, At(2, 9, 15)), (filed.Step, filed.Deadline!.Value)); // 15 min 工作时 to dispatch

        host.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.False((await grain.Get())!.Overdue);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var overdue = await notifier.Overdue(CaseId).Task.Within();
        Assert.Equal((CaseStep.Dispatch, At(2, 9, 15)), (overdue.OverdueStep, overdue.Due));

        var view = (await grain.Get())!;
        Assert.True(view.Overdue);
        Assert.Equal(CaseStatus.Filed, view.Status);
        var last = (await grain.History())[^1];
        Assert.Equal(("step_overdue", CaseRoles.System), (last.Type, last.ActorName));

        // Dispatching late starts the handling step afresh: no longer overdue.
        var dispatched = await Ok(grain, Command(Staff, CaseCommandKind.Dispatch, department: "water"));
        Assert.False(dispatched.Overdue);
    }

    [Fact]
    public async Task The_traffic_light_turns_yellow_then_red_over_working_hours_only()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = await DispatchedAsync(host); // 4 工作时 from 09:00: due 14:30
        Assert.Equal((TrafficLight.Green, At(2, 14, 30)), ((await grain.Get())!.Light!.Value, (await grain.Get())!.Deadline!.Value));

        host.Time.SetUtcNow(At(2, 13, 29)); // 3 of 4 h used; the lunch break does not count
        Assert.Equal(TrafficLight.Green, (await grain.Get())!.Light);
        host.Time.SetUtcNow(At(2, 13, 42)); // 3.2 h = 80 %
        Assert.Equal(TrafficLight.Yellow, (await grain.Get())!.Light);
        host.Time.SetUtcNow(At(2, 14, 30)); // the deadline instant itself is still on time
        await notifier.Overdue(CaseId).Task.Within();
        Assert.Equal(TrafficLight.Yellow, (await grain.Get())!.Light);
        host.Time.SetUtcNow(At(2, 14, 31));
        var view = (await grain.Get())!;
        Assert.Equal((TrafficLight.Red, true), (view.Light, view.Overdue));
    }

    [Fact]
    public async Task A_suspended_case_does_not_go_overdue_and_resumes_with_the_paused_time_excluded()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = await DispatchedAsync(host);
        host.Time.SetUtcNow(At(2, 10));
        var suspended = await Ok(grain, Command(Staff, CaseCommandKind.Suspend, "冬季无法施工"));
        Assert.Equal((true, (DateTimeOffset?)null), (suspended.Suspended, suspended.Deadline));

        host.Time.SetUtcNow(At(4, 10)); // two days later, long past the original deadline
        Assert.False((await grain.Get())!.Overdue);
        Assert.False(notifier.Overdue(CaseId).Task.IsCompleted);

        var resumed = await Ok(grain, Command(Staff, CaseCommandKind.Resume));
        Assert.Equal((CaseStatus.Dispatched, At(4, 14, 30), TrafficLight.Green), (resumed.Status, resumed.Deadline!.Value, resumed.Light!.Value));
        host.Time.SetUtcNow(At(4, 14, 30));
        await notifier.Overdue(CaseId).Task.Within();
    }

    [Fact]
    public async Task A_repeated_request_returns_the_first_result_without_appending()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = await DispatchedAsync(host);
        var accept = Command(Handler, CaseCommandKind.Accept, requestId: "accept-1");
        var first = await grain.Execute(accept);
        await Ok(grain, Command(Handler, CaseCommandKind.SubmitFeedback));
        var again = await grain.Execute(accept);

        Assert.Equal((CaseCommandStatus.Ok, true), (again.Status, again.Replayed));
        Assert.Equal((first.View!.Version, first.View.Status), (again.View!.Version, again.View.Status));
        Assert.Equal(5, (await grain.History()).Count);
        var reused = await grain.Execute(Command(Staff, CaseCommandKind.RequestCheck, requestId: "accept-1"));
        Assert.Equal((CaseCommandStatus.Conflict, "requestId"), (reused.Status, reused.Field));
        Assert.Equal(CaseStatus.Feedback, (await grain.Get())!.Status);
    }

    [Fact]
    public async Task An_illegal_or_forbidden_command_changes_nothing()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier);
        var grain = await DispatchedAsync(host);
        var before = (await grain.Get())!;
        Assert.Equal(CaseCommandStatus.IllegalTransition, (await grain.Execute(Command(Staff, CaseCommandKind.Close))).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await grain.Execute(Command(OtherHandler, CaseCommandKind.Accept))).Status);
        Assert.Equal(CaseCommandStatus.Invalid, (await grain.Execute(Command(Handler, CaseCommandKind.Return))).Status);
        Assert.Equal(Json(before), Json((await grain.Get())!));
        Assert.Equal(3, (await grain.History()).Count);
        Assert.Null(await host.Grains.GetGrain<ICaseGrain>("C20260302000999").Get());
        Assert.Equal(CaseCommandStatus.NotFound, (await host.Grains.GetGrain<ICaseGrain>("C20260302000999").Execute(Command(Staff, CaseCommandKind.File))).Status);
    }

    [Fact]
    public async Task A_transition_and_its_deadline_survive_a_restart_on_the_same_file()
    {
        using var dir = new TempDirectory();
        var notifier = new RecordingNotifier();
        await using (var first = await StartAsync(notifier, dir.Path))
        {
            await DispatchedAsync(first);
            var numbers = first.Grains.GetGrain<ICaseNumberGrain>("20260302");
            Assert.Equal(["C20260302000001", "C20260302000002"], [await numbers.Next(), await numbers.Next()]);
        }
        SqliteConnection.ClearAllPools();

        var second = new RecordingNotifier();
        await using var host = await StartAsync(second, dir.Path, At(2, 10));
        var grain = host.Grains.GetGrain<ICaseGrain>(CaseId);
        var view = (await grain.Get())!;
        Assert.Equal((CaseStatus.Dispatched, "water", 3L, At(2, 14, 30)), (view.Status, view.Department, view.Version, view.Deadline!.Value));
        Assert.Equal(["reported", "filed", "dispatched"], (await grain.History()).Select(h => h.Type));
        Assert.Equal("C20260302000003", await host.Grains.GetGrain<ICaseNumberGrain>("20260302").Next());

        host.Time.SetUtcNow(At(2, 14, 30)); // the reminder came back from the file
        await second.Overdue(CaseId).Task.Within();
        Assert.Equal(4, (await grain.History()).Count);
    }

    [Fact]
    public async Task Case_ids_sort_by_day_in_the_calendar_zone()
    {
        var zone = WorkingCalendar.Create(new WorkingCalendarOptions()).TimeZone;
        Assert.Equal("20260303", CaseIds.DayKey(new DateTimeOffset(2026, 3, 2, 16, 30, 0, TimeSpan.Zero), zone));
        Assert.Equal("C20260302000042", CaseIds.Format("20260302", 42));
        Assert.True(CaseIds.IsValid("C20260302000042"));
        Assert.False(CaseIds.IsValid("X20260302000042"));
        Assert.False(CaseIds.IsValid("C2026"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Urgent_steps_run_on_the_continuous_clock()
    {
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(notifier, start: At(2, 22));
        var grain = host.Grains.GetGrain<ICaseGrain>(CaseId);
        var reported = await Ok(grain, Report(Worker, urgency: Urgency.Urgent));
        Assert.Equal(At(2, 22, 5), reported.Deadline); // 5 紧急工作时 minutes to file, at night
    }
}
