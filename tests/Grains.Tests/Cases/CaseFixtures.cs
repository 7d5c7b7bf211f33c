using System.Collections.Concurrent;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Tests.Cases;

/// <summary>Actors, a catalogue category and a pure driver for the workflow.</summary>
internal static class CaseFixtures
{
    public const string Region = "31010400101";
    public const string CaseId = "C20260302000001";

    public static readonly CaseActor Staff = new("staff1", CaseRoles.CommandStaff, "310104");
    public static readonly CaseActor OtherDistrictStaff = new("staff9", CaseRoles.CommandStaff, "310105");
    public static readonly CaseActor Worker = new("worker1", CaseRoles.GridWorker, "310104001");
    public static readonly CaseActor Handler = new("water1", CaseRoles.DepartmentHandler, "310104", "water");
    public static readonly CaseActor OtherHandler = new("power1", CaseRoles.DepartmentHandler, "310104", "power");
    public static readonly CaseActor Admin = new("admin", CaseRoles.Admin, "");
    public static readonly CaseActor Responder = new("resp1", CaseRoles.Responder, "310104");

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>2026-03-02 is a Monday.</summary>
    public static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, Beijing);

    public static CaseWorkflow Workflow { get; } = new(DefaultCategoryCatalog.Instance, WorkingCalendar.Create(new WorkingCalendarOptions()));

    /// <summary>A report of a 上水井盖 (component 0101), 一般: handling 4 工作时.</summary>
    public static CaseCommand Report(CaseActor actor, string requestId = "r-report", Urgency urgency = Urgency.Normal, string region = Region) => new()
    {
        RequestId = requestId,
        Actor = actor,
        Kind = CaseCommandKind.Report,
        CaseKind = CaseKind.Component,
        CategoryCode = "0101",
        Urgency = urgency,
        RegionCode = region,
        Description = "井盖破损",
        Attachments = ["https://files.example/p/1.jpg"],
    };

    /// <summary>Records hold lists, which compare by reference; compare what would be stored or sent instead.</summary>
    public static string Json(CaseEvent e) => System.Text.Json.JsonSerializer.Serialize(e, CasesJsonContext.Default.CaseEvent);

    public static string Json(CaseView v) => System.Text.Json.JsonSerializer.Serialize(v, CasesJsonContext.Default.CaseView);

    public static CaseCommand Command(CaseActor actor, CaseCommandKind kind, string? note = null, string? department = null, string? requestId = null) => new()
    {
        RequestId = requestId ?? $"r-{kind}-{Guid.NewGuid():N}",
        Actor = actor,
        Kind = kind,
        Note = note,
        Department = department,
    };
}

/// <summary>Drives the pure workflow: applies accepted events, keeps the state, lets a test move the clock.</summary>
internal sealed class Flow
{
    public CaseState? State { get; private set; }
    public List<CaseEvent> Events { get; } = [];
    public DateTimeOffset Now { get; set; } = CaseFixtures.At(2, 9);

    public CaseDecision Try(CaseCommand command)
    {
        var decision = CaseFixtures.Workflow.Decide(CaseFixtures.CaseId, State, command, Now);
        if (decision.Event is { } e)
        {
            State = CaseState.Apply(State, e);
            Events.Add(e);
        }
        return decision;
    }

    public CaseState Do(CaseCommand command)
    {
        var decision = Try(command);
        Assert.True(decision.Event is not null, $"{command.Kind} by {command.Actor.Role} failed: {decision.Status} {decision.Error}");
        return State!;
    }

    public CaseState Do(CaseActor actor, CaseCommandKind kind, string? note = null, string? department = null) =>
        Do(CaseFixtures.Command(actor, kind, note, department));

    /// <summary>A patrol report taken to the named status along the main line.</summary>
    public static Flow To(CaseStatus target)
    {
        var f = new Flow();
        f.Do(CaseFixtures.Report(CaseFixtures.Worker));
        var steps = new (CaseStatus Status, Action Act)[]
        {
            (CaseStatus.Reported, () => { }),
            (CaseStatus.Filed, () => f.Do(CaseFixtures.Staff, CaseCommandKind.File)),
            (CaseStatus.Dispatched, () => f.Do(CaseFixtures.Staff, CaseCommandKind.Dispatch, department: "water")),
            (CaseStatus.Handling, () => f.Do(CaseFixtures.Handler, CaseCommandKind.Accept)),
            (CaseStatus.Feedback, () => f.Do(CaseFixtures.Handler, CaseCommandKind.SubmitFeedback)),
            (CaseStatus.Checking, () => f.Do(CaseFixtures.Staff, CaseCommandKind.RequestCheck)),
            (CaseStatus.Closed, () =>
            {
                f.Do(CaseFixtures.Worker, CaseCommandKind.PassCheck);
                f.Do(CaseFixtures.Staff, CaseCommandKind.Close);
            }),
        };
        var side = target switch
        {
            CaseStatus.Void => (CaseStatus.Reported, (Action)(() => f.Do(CaseFixtures.Staff, CaseCommandKind.Void, "不符合立案条件"))),
            CaseStatus.Returned => (CaseStatus.Handling, () => f.Do(CaseFixtures.Handler, CaseCommandKind.Return, "非本部门职责")),
            CaseStatus.ExtensionPending => (CaseStatus.Handling, () => f.Do(CaseFixtures.Handler, CaseCommandKind.RequestExtension, "需要备件")),
            CaseStatus.Suspended => (CaseStatus.Handling, () => f.Do(CaseFixtures.Staff, CaseCommandKind.Suspend, "季节性施工")),
            CaseStatus.Verifying => (CaseStatus.Reported, (Action)(() => throw new InvalidOperationException("use a public report"))),
            _ => (target, (Action)(() => { })),
        };
        foreach (var (status, act) in steps)
        {
            act();
            if (status == side.Item1) break;
        }
        side.Item2();
        Assert.Equal(target, f.State!.Status);
        return f;
    }
}

/// <summary>Records notifications with signals tests can await.</summary>
public sealed class RecordingNotifier : ICaseNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CaseStepOverdue>> _overdue = new();

    public ConcurrentQueue<CaseEvent> Changes { get; } = new();

    public Task CaseChangedAsync(CaseView view, CaseEvent change)
    {
        Changes.Enqueue(change);
        return Task.CompletedTask;
    }

    public Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue)
    {
        Overdue(view.Id).TrySetResult(overdue);
        return Task.CompletedTask;
    }

    public TaskCompletionSource<CaseStepOverdue> Overdue(string caseId) =>
        _overdue.GetOrAdd(caseId, _ => new TaskCompletionSource<CaseStepOverdue>(TaskCreationOptions.RunContinuationsAsynchronously));

    private readonly ConcurrentDictionary<(string, int), TaskCompletionSource<(CaseView View, CaseEscalated Escalated)>> _escalated = new();

    public Task CaseEscalatedAsync(CaseView view, CaseEscalated escalated)
    {
        Escalated(view.Id, escalated.Level).TrySetResult((view, escalated));
        return Task.CompletedTask;
    }

    /// <summary>Completes when the case is escalated to <paramref name="level"/> (1 = the first region above its community).</summary>
    public TaskCompletionSource<(CaseView View, CaseEscalated Escalated)> Escalated(string caseId, int level) =>
        _escalated.GetOrAdd((caseId, level), _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}
