using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// The escalation actor. It walks the on-call rosters from the subject's region up to the city: each responder
/// gets it (MQTT QoS 1 through <see cref="IResponderNotifier"/>, and the command centres of the region's scopes
/// through the live feed) and has <see cref="EscalationOptions.AckTimeout"/> to acknowledge; a durable one-shot
/// reminder at the due time moves it to the next responder not asked yet, then to the parent region's roster
/// (regions with an empty roster are skipped). When the city's roster is exhausted it stays open as
/// <see cref="EscalationStatus.Unanswered"/>, flagged on the feed once, and is not sent round again: a loop would
/// wake the same people who have already not answered, and the command centres are already watching it.
/// State is written before anything is sent, so a crash re-sends rather than forgets (at least once).
/// </summary>
public sealed partial class EscalationGrain(
    [PersistentState("escalation")] IPersistentState<EscalationState> state,
    IRegionDirectory regions,
    ILiveFeed feed,
    IResponderNotifier notifier,
    IOptions<EscalationOptions> options,
    ILogger<EscalationGrain> logger) : Grain, IEscalationGrain, IRemindable
{
    public const string AckReminder = "ack-timeout";

    // A reminder fires at millisecond resolution; a due time less than this ahead counts as reached.
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(1);

    private EscalationState S => state.State;
    private string Id => GetPrimaryKeyString();
    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => SyncReminderAsync();

    public async Task Start(EscalationSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (S.Subject is not null) return;
        var now = Now;
        var previous = state.State;
        state.State = new EscalationState { Subject = subject, Status = EscalationStatus.Pending, OpenedAt = now, UpdatedAt = now };
        try
        {
            await AdvanceAsync(fromRegion: null, fromIndex: 0, now);
        }
        catch
        {
            state.State = previous; // not stored: a later start of the same subject tries again
            throw;
        }
    }

    public async Task<EscalationResult> Acknowledge(AcknowledgeEscalation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (S.Subject is null) return EscalationResult.NotFound($"There is no escalation {Id}.");
        if (command.Actor is null || string.IsNullOrEmpty(command.Actor.UserName)) return EscalationResult.Forbidden("An authenticated user is required.");
        if (command.Note is { Length: > EscalationOptions.MaxNoteLength }) return EscalationResult.Invalid($"note is at most {EscalationOptions.MaxNoteLength} characters.");
        if (S.Status == EscalationStatus.Acknowledged)
        {
            return string.Equals(S.AcknowledgedBy, command.Actor.UserName, StringComparison.Ordinal)
                ? new EscalationResult(EscalationCommandStatus.Ok, View(), Replayed: true)
                : EscalationResult.Conflict($"Escalation {Id} was already acknowledged by {S.AcknowledgedBy} at {S.AcknowledgedAt:O}.", View());
        }
        if (EscalationAuthority.Check(command.Actor, S, View()) is { } refused) return refused;

        var now = Now;
        var previous = Snapshot();
        if (S.Status == EscalationStatus.Pending)
            S.Attempts[^1] = S.Attempts[^1] with { Outcome = AttemptOutcome.Acknowledged, EndedAt = now, AcknowledgedBy = command.Actor.UserName };
        S.Status = EscalationStatus.Acknowledged;
        S.AcknowledgedBy = command.Actor.UserName;
        S.AcknowledgedAt = now;
        S.AcknowledgedVia = command.Via;
        S.Note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
        S.UpdatedAt = now;
        await WriteAsync(previous);
        await SyncReminderAsync();
        await IndexAsync();
        Tell("acknowledged", command.Actor.UserName, now);
        return new EscalationResult(EscalationCommandStatus.Ok, View());
    }

    public Task<EscalationView?> Get() => Task.FromResult(S.Subject is null ? null : View());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != AckReminder || S is not { Subject: not null, Status: EscalationStatus.Pending }) return;
        var due = S.Attempts[^1].DueAt;
        var now = Now;
        if (due - now >= Resolution)
        {
            await SyncReminderAsync(); // an early tick (clock skew): wait again
            return;
        }
        if (now < due) now = due;
        var timedOut = S.Attempts[^1];
        var previous = Snapshot();
        S.Attempts[^1] = timedOut with { Outcome = AttemptOutcome.TimedOut, EndedAt = now };
        LogTimedOut(logger, Id, timedOut.Responder, timedOut.RosterRegion);
        Tell("timed_out", timedOut.Responder, now);
        try
        {
            await AdvanceAsync(S.RosterRegion, S.ResponderIndex + 1, now);
        }
        catch
        {
            state.State = previous; // the reminder is still registered and fires again
            throw;
        }
    }

    /// <summary>
    /// Sends to the next responder not asked yet, from <paramref name="fromIndex"/> of <paramref name="fromRegion"/>'s
    /// roster (the subject's region when null) and then up the parents' rosters; unanswered when nobody is left.
    /// </summary>
    private async Task AdvanceAsync(string? fromRegion, int fromIndex, DateTimeOffset now)
    {
        var chain = Chain(S.Subject!.RegionCode);
        var start = fromRegion is null ? 0 : Math.Max(0, chain.IndexOf(fromRegion));
        for (var level = start; level < chain.Count; level++)
        {
            var code = chain[level];
            var roster = await GrainFactory.GetGrain<IOnCallRosterGrain>(code).Get();
            var first = level == start && fromRegion is not null ? fromIndex : 0;
            for (var i = first; i < roster.Responders.Count; i++)
            {
                var responder = roster.Responders[i];
                // Someone who has already let it time out is not woken again for the same escalation.
                if (S.Attempts.Exists(a => string.Equals(a.Responder, responder, StringComparison.Ordinal))) continue;
                await SendAsync(code, i, responder, now);
                return;
            }
        }
        await UnansweredAsync(now);
    }

    private async Task SendAsync(string rosterRegion, int index, string responder, DateTimeOffset now)
    {
        var due = now + options.Value.AckTimeout;
        S.RosterRegion = rosterRegion;
        S.ResponderIndex = index;
        S.Status = EscalationStatus.Pending;
        S.UpdatedAt = now;
        S.Attempts.Add(new EscalationAttempt(responder, rosterRegion, now, due, AttemptOutcome.Pending));
        await state.WriteStateAsync();
        await SyncReminderAsync();
        if (S.Attempts.Count == 1) await IndexAsync();
        var subject = S.Subject!;
        var notice = new EscalationNotice(Id, subject.Kind, subject.SubjectId, subject.Type, subject.Summary, subject.RegionCode, rosterRegion,
            subject.Severity, subject.Lat, subject.Lon, subject.RaisedAt, now, due, ResponderTopics.Ack(responder));
        try
        {
            await notifier.NotifyAsync(responder, notice);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The due time still runs: if the responder never got it, the next one is asked when it passes.
            LogNotifyFailed(logger, ex, Id, responder);
        }
        LogSent(logger, Id, responder, rosterRegion, due);
        Tell("sent", responder, now);
    }

    private async Task UnansweredAsync(DateTimeOffset now)
    {
        var first = S.Attempts.Count == 0;
        S.Status = EscalationStatus.Unanswered;
        S.UpdatedAt = now;
        await state.WriteStateAsync();
        await SyncReminderAsync();
        if (first) await IndexAsync();
        if (S.Attempts.Count == 0) LogNoRoster(logger, Id, S.Subject!.RegionCode);
        else LogUnanswered(logger, Id, S.Subject!.RegionCode, S.Attempts.Count);
        Tell("unanswered", null, now);
    }

    /// <summary>The subject's region and its ancestors up to the city, nearest first.</summary>
    private List<string> Chain(string regionCode)
    {
        var scopes = regions.ScopesOf(regionCode);
        return scopes.Count == 0 ? [regionCode] : [.. scopes.Where(s => s.Length > 0)];
    }

    /// <summary>One reminder while pending (at the current attempt's due time), none otherwise; repairs a crash between write and register.</summary>
    private async Task SyncReminderAsync()
    {
        var registered = GetReminder(AckReminder);
        if (S is { Subject: not null, Status: EscalationStatus.Pending } && S.Attempts.Count > 0)
        {
            var due = S.Attempts[^1].DueAt;
            if (registered is not null && (registered.DueAt - due).Duration() < Resolution) return;
            var wait = due - Now;
            await RegisterOrUpdateReminder(AckReminder, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }
        else if (registered is not null)
        {
            await UnregisterReminder(AckReminder);
        }
    }

    private async Task WriteAsync(EscalationState previous)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous; // not durable: it did not happen
            throw;
        }
    }

    private EscalationState Snapshot() => new()
    {
        Subject = S.Subject,
        Status = S.Status,
        OpenedAt = S.OpenedAt,
        UpdatedAt = S.UpdatedAt,
        RosterRegion = S.RosterRegion,
        ResponderIndex = S.ResponderIndex,
        AcknowledgedBy = S.AcknowledgedBy,
        AcknowledgedAt = S.AcknowledgedAt,
        AcknowledgedVia = S.AcknowledgedVia,
        Note = S.Note,
        Attempts = [.. S.Attempts],
    };

    private async Task IndexAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IEscalationRegistryGrain>(IEscalationRegistryGrain.Key)
                .Upsert(new EscalationIndexEntry(Id, S.Subject!.RegionCode, S.Status != EscalationStatus.Acknowledged, S.OpenedAt));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Only the listing depends on it; the escalation itself is stored and keeps running.
            LogIndexFailed(logger, ex, Id);
        }
    }

    private void Tell(string action, string? who, DateTimeOffset at)
    {
        var subject = S.Subject!;
        var scopes = regions.ScopesOf(subject.RegionCode);
        feed.EscalationChanged(new EscalationUpdate(Id, subject.Kind, subject.SubjectId, subject.Type, subject.Summary, subject.RegionCode,
            S.RosterRegion, S.Status, action, S.Status == EscalationStatus.Pending ? S.Attempts[^1].Responder : null, who,
            S.Status == EscalationStatus.Pending ? S.Attempts[^1].DueAt : null, scopes.Count == 0 ? [subject.RegionCode] : scopes, at));
    }

    private EscalationView View()
    {
        var pending = S.Status == EscalationStatus.Pending && S.Attempts.Count > 0 ? S.Attempts[^1] : null;
        return new EscalationView(Id, S.Subject!, S.Status, S.RosterRegion, pending?.Responder, pending?.DueAt, S.OpenedAt, S.UpdatedAt,
            S.AcknowledgedBy, S.AcknowledgedAt, S.AcknowledgedVia, S.Note, [.. S.Attempts]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation {EscalationId}: sent to {Responder} (roster of {RosterRegion}), due {DueAt}")]
    private static partial void LogSent(ILogger logger, string escalationId, string responder, string rosterRegion, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation {EscalationId}: {Responder} (roster of {RosterRegion}) did not acknowledge in time")]
    private static partial void LogTimedOut(ILogger logger, string escalationId, string responder, string rosterRegion);

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalation {EscalationId} of region {RegionCode}: nobody acknowledged after {Attempts} attempts up to the city; left open and flagged")]
    private static partial void LogUnanswered(ILogger logger, string escalationId, string regionCode, int attempts);

    // A configuration gap rather than a failure of anyone on call: say what to set.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation {EscalationId}: no on-call roster covers region {RegionCode} or any region above it; left open and flagged (set one with PUT /api/regions/{{code}}/on-call)")]
    private static partial void LogNoRoster(ILogger logger, string escalationId, string regionCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalation {EscalationId}: sending to {Responder} failed; its due time still runs")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string escalationId, string responder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation {EscalationId}: updating the escalation list failed")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception, string escalationId);
}
