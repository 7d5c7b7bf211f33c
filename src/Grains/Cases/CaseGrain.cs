using GridGov.Realtime.Actors;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>One case, keyed by its case id (see <see cref="ICaseNumberGrain"/>).</summary>
public interface ICaseGrain : IGrainWithStringKey
{
    /// <summary>Decides and applies a command. Idempotent by request id.</summary>
    Task<CaseCommandResult> Execute(CaseCommand command);

    /// <summary>The case now, or null if it was never reported.</summary>
    Task<CaseView?> Get();

    /// <summary>The audit trail, oldest first.</summary>
    Task<IReadOnlyList<CaseAuditEntry>> History();
}

/// <summary>
/// The case actor: loads its events on activation, decides commands with <see cref="CaseWorkflow"/>,
/// appends the event (acknowledged once durable), and keeps one durable one-shot reminder on the current
/// step's deadline: re-registered whenever the deadline moves, removed when the step ends or its clock
/// stops (挂账, pending 延期). When it fires past the deadline the case records <see cref="CaseStepOverdue"/>.
/// While the step stays overdue a second reminder, <see cref="EscalationReminder"/>, drives 督办 up the region
/// chain as <see cref="CaseEscalationPolicy"/> says (street, then district, then city), each level a
/// <see cref="CaseEscalated"/> in the audit trail. Every event then goes to the <see cref="ICaseNotifier"/>s.
/// </summary>
public sealed partial class CaseGrain(
    ICaseEventStore store, CaseWorkflow workflow, CaseEscalationPolicy escalation, CaseNotifiers notifier, ILogger<CaseGrain> logger)
    : Grain, ICaseGrain, IRemindable
{
    public const string DeadlineReminder = "deadline";
    public const string EscalationReminder = "escalation";

    // A reminder fires at millisecond resolution; a deadline less than this ahead counts as reached.
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(1);

    private List<CaseEvent> _events = [];
    private CaseState? _state;

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        // A crash between an append and the reminder update must not lose a deadline or an escalation.
        await SyncRemindersAsync();
    }

    public async Task<CaseCommandResult> Execute(CaseCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!string.IsNullOrEmpty(command.RequestId) && _events.Find(e => e.RequestId == command.RequestId) is { } done)
            return Replay(done, command);

        var decision = workflow.Decide(GetPrimaryKeyString(), _state, command, Now);
        if (decision.Event is not { } e) return new CaseCommandResult(decision.Status, null, decision.Error, decision.Field);

        switch (await AppendAsync(e))
        {
            case CaseAppendOutcome.Appended:
                return new CaseCommandResult(CaseCommandStatus.Ok, View());
            case CaseAppendOutcome.DuplicateRequest:
                await LoadAsync(CancellationToken.None);
                await SyncRemindersAsync();
                return _events.Find(x => x.RequestId == command.RequestId) is { } first
                    ? Replay(first, command)
                    : new CaseCommandResult(CaseCommandStatus.Conflict, null, "The request id is already used in this case.", "requestId");
            default:
                // Another writer appended first (cluster hand-over): catch up and let the client retry.
                await LoadAsync(CancellationToken.None);
                await SyncRemindersAsync();
                return new CaseCommandResult(CaseCommandStatus.Conflict, null, $"The case changed meanwhile (now version {_state?.Version ?? 0}); try again.");
        }
    }

    public Task<CaseView?> Get() => Task.FromResult(_state is null ? null : View());

    public Task<IReadOnlyList<CaseAuditEntry>> History() =>
        Task.FromResult<IReadOnlyList<CaseAuditEntry>>([.. _events.Select(CaseAuditEntry.Of)]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_state is null) return;
        if (reminderName == EscalationReminder)
        {
            await EscalateIfDueAsync();
            return;
        }
        if (reminderName != DeadlineReminder) return;
        var now = Now;
        if (_state.Deadline is { } due && due - now < Resolution) now = now < due ? due : now;
        if (workflow.Overdue(_state, now) is { } overdue)
        {
            if (await TryAppendSystemEventAsync(overdue))
            {
                // With no delay before the first escalation it goes out in the same turn, not on a zero-delay reminder.
                await EscalateIfDueAsync();
                return;
            }
        }
        await SyncRemindersAsync();
    }

    /// <summary>Appends the escalation the policy says is due now, if any; either way leaves the reminder on the next one.</summary>
    private async Task EscalateIfDueAsync()
    {
        var now = Now;
        if (_state is not null && escalation.Next(_state) is { } next && next.DueAt - now < Resolution)
        {
            if (await TryAppendSystemEventAsync(workflow.Escalate(_state, next, now < next.DueAt ? next.DueAt : now))) return;
        }
        await SyncRemindersAsync();
    }

    // A system event (overdue, escalation) is decided from the state this activation holds; if another writer got
    // there first, catch up and let the reminders be re-derived from the fresh state.
    private async Task<bool> TryAppendSystemEventAsync(CaseEvent e)
    {
        if (await AppendAsync(e) == CaseAppendOutcome.Appended) return true;
        await LoadAsync(CancellationToken.None);
        return false;
    }

    /// <summary>
    /// Appends the event and, beside it, brings the reminders to the state after it: both go to the group-commit
    /// writer at once, so they usually share one commit instead of the transition waiting for two in a row. If the
    /// append does not happen, the caller reloads and the reminders are derived again from the stored state; if it
    /// happens and the process dies before the reminders are durable, activation re-derives them (as before).
    /// </summary>
    private async Task<CaseAppendOutcome> AppendAsync(CaseEvent e)
    {
        var next = CaseState.Apply(_state, e);
        var appending = store.AppendAsync(GetPrimaryKeyString(), _state?.Version ?? 0, [e]);
        var reminders = SyncRemindersAsync(next);
        await Task.WhenAll(appending, reminders);
        var outcome = await appending;
        if (outcome == CaseAppendOutcome.Appended)
        {
            _state = next;
            _events.Add(e);
            await NotifyAsync(e);
        }
        return outcome;
    }

    private async Task NotifyAsync(CaseEvent e)
    {
        var view = View();
        try
        {
            await (e switch
            {
                CaseStepOverdue overdue => notifier.StepOverdueAsync(view, overdue),
                CaseEscalated escalated => notifier.CaseEscalatedAsync(view, escalated),
                _ => notifier.CaseChangedAsync(view, e),
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The transition is durable; a failing notification must not turn it into an error.
            LogNotifyFailed(logger, ex, view.Id, e.Seq);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _events = [.. await store.ReadAsync(GetPrimaryKeyString(), cancellationToken)];
        _state = CaseState.Fold(_events);
    }

    /// <summary>Registers, moves or removes the deadline and escalation reminders to match <paramref name="state"/> (default: the current one).</summary>
    private async Task SyncRemindersAsync(CaseState? state = null)
    {
        state ??= _state;
        await SyncReminderAsync(state);
        await SyncEscalationReminderAsync(state);
    }

    private async Task SyncEscalationReminderAsync(CaseState? state)
    {
        var registered = GetReminder(EscalationReminder);
        if (state is not null && escalation.Next(state) is { DueAt: var due })
        {
            if (registered is not null && (registered.DueAt - due).Duration() < Resolution) return;
            var wait = due - Now;
            await RegisterOrUpdateReminder(EscalationReminder, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }
        else if (registered is not null)
        {
            await UnregisterReminder(EscalationReminder);
        }
    }

    private async Task SyncReminderAsync(CaseState? state)
    {
        var registered = GetReminder(DeadlineReminder);
        if (state is { Deadline: { } due, Overdue: false, IsTerminal: false })
        {
            if (registered is not null && (registered.DueAt - due).Duration() < Resolution) return;
            var wait = due - Now;
            await RegisterOrUpdateReminder(DeadlineReminder, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }
        else if (registered is not null)
        {
            await UnregisterReminder(DeadlineReminder);
        }
    }

    private CaseView View() => escalation.Next(_state!) is { } next
        ? CaseView.From(_state!, workflow, Now) with { NextEscalationTo = next.Target.Code, NextEscalationAt = next.DueAt }
        : CaseView.From(_state!, workflow, Now);

    private CaseCommandResult Replay(CaseEvent first, CaseCommand command)
    {
        if (!CommandOf(first).Contains(command.Kind))
            return new CaseCommandResult(CaseCommandStatus.Conflict, null, $"Request id {command.RequestId} was used for another command ({first.Type}).", "requestId");
        var then = CaseState.Fold(_events.TakeWhile(e => e.Seq <= first.Seq))!;
        return new CaseCommandResult(CaseCommandStatus.Ok, CaseView.From(then, workflow, Now), Replayed: true);
    }

    private static CaseCommandKind[] CommandOf(CaseEvent e) => e switch
    {
        CaseReported => [CaseCommandKind.Report],
        CaseVerificationRequested => [CaseCommandKind.RequestVerification],
        CaseVerified => [CaseCommandKind.Verify],
        CaseFiled => [CaseCommandKind.File],
        CaseVoided => [CaseCommandKind.Void],
        CaseDispatched => [CaseCommandKind.Dispatch],
        CaseAccepted => [CaseCommandKind.Accept],
        CaseFeedbackSubmitted => [CaseCommandKind.SubmitFeedback],
        CaseCheckRequested => [CaseCommandKind.RequestCheck],
        CaseCheckPassed => [CaseCommandKind.PassCheck],
        CaseCheckFailed => [CaseCommandKind.FailCheck],
        CaseClosed => [CaseCommandKind.Close],
        CaseReturned => [CaseCommandKind.Return],
        CaseExtensionRequested => [CaseCommandKind.RequestExtension],
        CaseExtensionApproved => [CaseCommandKind.ApproveExtension],
        CaseExtensionRejected => [CaseCommandKind.RejectExtension],
        CaseSuspended => [CaseCommandKind.Suspend],
        CaseResumed => [CaseCommandKind.Resume],
        CaseSupervised => [CaseCommandKind.Supervise],
        CaseAnnotated => [CaseCommandKind.Annotate],
        _ => [],
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Case {CaseId}: notifying event {Seq} failed; the event itself is stored")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string caseId, long seq);
}
